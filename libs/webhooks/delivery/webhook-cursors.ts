import { START, type Position } from '@app/event-store';
import type { SqlExecutor } from '@app/sql';

/**
 * An endpoint's checkpoint: every matching event up to `position` was delivered (answered 2xx).
 * While the next delivery fails, when it first failed, how often, and when it is tried again.
 */
export interface WebhookCursor {
  position: Position;
  /** The last replay request applied (a newer one moves `position`). */
  replaySeq: number;
  attempts: number;
  failingSince: string | null;
  nextAttemptAt: string | null;
}

interface CursorRow {
  position: string;
  replay_seq: number | string;
  attempts: number | string;
  failing_since: string | null;
  next_attempt_at: string | null;
}

/** An endpoint's cursor; one that never delivered starts at `start`. */
export async function loadCursor(db: SqlExecutor, endpointId: string, start: Position = START): Promise<WebhookCursor> {
  const [row] = await db.query<CursorRow>('SELECT * FROM webhook_cursors WHERE endpoint_id = $1', [endpointId]);
  return row
    ? {
        position: row.position,
        replaySeq: Number(row.replay_seq),
        attempts: Number(row.attempts),
        failingSince: row.failing_since,
        nextAttemptAt: row.next_attempt_at,
      }
    : { position: start, replaySeq: 0, attempts: 0, failingSince: null, nextAttemptAt: null };
}

export async function saveCursor(tx: SqlExecutor, endpointId: string, cursor: WebhookCursor): Promise<void> {
  await tx.execute(
    `INSERT INTO webhook_cursors (endpoint_id, position, replay_seq, attempts, failing_since, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (endpoint_id) DO UPDATE SET position = excluded.position, replay_seq = excluded.replay_seq,
       attempts = excluded.attempts, failing_since = excluded.failing_since, next_attempt_at = excluded.next_attempt_at`,
    [endpointId, cursor.position, cursor.replaySeq, cursor.attempts, cursor.failingSince, cursor.nextAttemptAt],
  );
}

/** An endpoint enabled again starts a fresh run of attempts, at once. */
export async function clearFailures(db: SqlExecutor, endpointId: string): Promise<void> {
  await db.execute(
    'UPDATE webhook_cursors SET attempts = 0, failing_since = NULL, next_attempt_at = NULL WHERE endpoint_id = $1',
    [endpointId],
  );
}

export async function deleteCursor(db: SqlExecutor, endpointId: string): Promise<void> {
  await db.execute('DELETE FROM webhook_cursors WHERE endpoint_id = $1', [endpointId]);
}
