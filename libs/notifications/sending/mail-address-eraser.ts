import { addressEraser } from '@app/personal-data';
import { eraseRecipients } from './mail-queue';

/**
 * An erased person's address leaves the mail tables: what was waiting for them is never sent (the row
 * stays, as the mark that its event was handled), the development outbox forgets them.
 */
export const MailAddressEraser = addressEraser('mail', async (tx, address) => {
  await tx.execute('DELETE FROM mail_recipients WHERE email = $1', [address]);
  await eraseRecipients(tx, 'recipient', address);
  await tx.execute('DELETE FROM outbox_messages WHERE recipient = $1', [address]);
});
