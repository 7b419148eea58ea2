import type { SqlExecutor } from '@app/sql';
import type { LinkStatus } from '../domain/invitation-link';

export interface LinkRow {
  id: string;
  status: LinkStatus;
  expires_at: string;
  nonce: string;
  sign_ups: number | string;
  redeemed: number | string;
}

/** A deployment's shareable links, newest first, each with how many signed up and redeemed through it. */
export function listLinks(db: SqlExecutor, deploymentId: string): Promise<LinkRow[]> {
  return db.query<LinkRow>(
    `SELECT l.id, l.status, l.expires_at, l.nonce,
       (SELECT count(*) FROM invitation_list i WHERE i.link_id = l.id) AS sign_ups,
       (SELECT count(*) FROM invitation_list i WHERE i.link_id = l.id AND i.status = 'redeemed') AS redeemed
     FROM invitation_link_list l WHERE l.deployment_id = $1 ORDER BY l.created_at DESC, l.id DESC`,
    [deploymentId],
  );
}

/** Links the expiry job should look at: still active in the list, past their expiry. */
export async function linksPastExpiry(db: SqlExecutor, now: Date): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM invitation_link_list WHERE status = 'active' AND expires_at <= $1`,
    [now.toISOString()],
  );
  return rows.map((row) => row.id);
}
