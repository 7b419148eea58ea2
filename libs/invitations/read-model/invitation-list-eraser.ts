import { addressEraser, ERASED } from '@app/personal-data';

/** An erased person's address leaves the invitation list and every past version of it. */
export const InvitationListEraser = addressEraser('invitation lists', async (tx, address) => {
  await tx.execute('UPDATE invitation_list SET email = $2 WHERE email = $1', [address, ERASED]);
  await tx.execute('UPDATE invitation_list_versions SET email = $2 WHERE email = $1', [address, ERASED]);
});
