import type { SqlExecutor } from '@app/sql';

/** The list's columns, each version holds them all. */
export const VERSION_COLUMNS = `deployment_id, email, status, channel, link_id, issued_at, issued_by, expires_at, expires_in, send_count,
  last_sent_at, email_status, email_failure, redeemed_at, revoked_at`;

/**
 * Keeps the temporal twin after a change to an invitation's row at `at`: the current version ends at
 * `at` and a copy of the row as it is now begins there. A change at the same instant as the version it
 * follows replaces that version (nobody could have seen it); a time before it (another instance's
 * clock a little behind) counts as that instant, so versions never overlap.
 */
export async function recordVersion(tx: SqlExecutor, invitationId: string, at: string): Promise<void> {
  const [current] = await tx.query<{ valid_from: string }>(
    'SELECT valid_from FROM invitation_list_versions WHERE id = $1 AND valid_to IS NULL',
    [invitationId],
  );
  const from = current && current.valid_from >= at ? current.valid_from : at;
  if (current && current.valid_from === from)
    await tx.execute('DELETE FROM invitation_list_versions WHERE id = $1 AND valid_from = $2', [invitationId, from]);
  else if (current)
    await tx.execute('UPDATE invitation_list_versions SET valid_to = $2 WHERE id = $1 AND valid_to IS NULL', [
      invitationId,
      from,
    ]);
  await tx.execute(
    `INSERT INTO invitation_list_versions (id, valid_from, valid_to, ${VERSION_COLUMNS})
     SELECT id, $2, NULL, ${VERSION_COLUMNS} FROM invitation_list WHERE id = $1`,
    [invitationId, from],
  );
}

/** The rows of the list as it stood at `at` (a bound parameter): a table expression with the list's columns. */
export function versionsAt(at: string): string {
  return `(SELECT id, ${VERSION_COLUMNS} FROM invitation_list_versions
    WHERE valid_from <= ${at} AND (valid_to IS NULL OR valid_to > ${at}) AND issued_at <= ${at}) AS invitation_list`;
}
