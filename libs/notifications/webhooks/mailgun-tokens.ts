import type { SqlExecutor } from '@app/sql';
import { SIGNATURE_MAX_AGE_MS } from './mailgun-signature';

/**
 * Each signature token is good for one request, on every instance (the table is shared): a second
 * request with it is a replay. Tokens older than the staleness window are dropped, since their
 * signatures are refused as stale anyway.
 */
export async function takeToken(db: SqlExecutor, token: string, now: Date): Promise<boolean> {
  await db.execute('DELETE FROM mailgun_webhook_tokens WHERE seen_at < $1', [
    new Date(now.getTime() - 2 * SIGNATURE_MAX_AGE_MS).toISOString(),
  ]);
  const taken = await db.execute(
    'INSERT INTO mailgun_webhook_tokens (token, seen_at) VALUES ($1, $2) ON CONFLICT (token) DO NOTHING',
    [token, now.toISOString()],
  );
  return taken === 1;
}
