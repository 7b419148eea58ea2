import { addressEraser, ERASED } from '@app/personal-data';

/**
 * An erased person's address leaves the mail tables: what was waiting for them is never sent (the row
 * stays, as the mark that its event was handled), the development outbox forgets them.
 */
export const MailAddressEraser = addressEraser('mail', async (tx, address) => {
  await tx.execute('DELETE FROM mail_recipients WHERE email = $1', [address]);
  await tx.execute(
    `UPDATE mail_queue SET recipient = $2, last_error = NULL,
       status = CASE WHEN status = 'sent' THEN status ELSE 'erased' END
     WHERE recipient = $1`,
    [address, ERASED],
  );
  await tx.execute('DELETE FROM outbox_messages WHERE recipient = $1', [address]);
});
