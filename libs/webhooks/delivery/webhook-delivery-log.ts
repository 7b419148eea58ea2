import type { SqlDatabase, SqlExecutor } from '@app/sql';

/** One attempt to deliver, as an endpoint's managers read it back. */
export interface DeliveryAttempt {
  seq: number;
  webhookId: string;
  /** `events`: events of the log; `test`: a test ping. */
  kind: 'events' | 'test';
  firstPosition: string | null;
  lastPosition: string | null;
  eventCount: number;
  attempt: number;
  attemptedAt: string;
  delivered: boolean;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
}

export type NewAttempt = Omit<DeliveryAttempt, 'seq'>;

/** How long attempts are kept: long enough to explain an outage, not a second copy of the log. */
export const DELIVERY_LOG_DAYS = 30;

export async function logAttempt(tx: SqlExecutor, endpointId: string, a: NewAttempt): Promise<void> {
  await tx.execute(
    `INSERT INTO webhook_deliveries (endpoint_id, webhook_id, kind, first_position, last_position, event_count,
       attempt, attempted_at, delivered, response_status, error, duration_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      endpointId,
      a.webhookId,
      a.kind,
      a.firstPosition,
      a.lastPosition,
      a.eventCount,
      a.attempt,
      a.attemptedAt,
      a.delivered,
      a.responseStatus,
      a.error,
      a.durationMs,
    ],
  );
}

interface AttemptRow {
  seq: number | string;
  webhook_id: string;
  kind: 'events' | 'test';
  first_position: string | null;
  last_position: string | null;
  event_count: number | string;
  attempt: number | string;
  attempted_at: string;
  delivered: number | boolean;
  response_status: number | null;
  error: string | null;
  duration_ms: number | string;
}

/** Newest first, `limit` of them, older than the attempt numbered `before` when given. */
export async function attemptsOf(
  db: SqlExecutor,
  endpointId: string,
  limit: number,
  before?: number,
): Promise<DeliveryAttempt[]> {
  const rows = await db.query<AttemptRow>(
    `SELECT * FROM webhook_deliveries WHERE endpoint_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`,
    [endpointId, before ?? Number.MAX_SAFE_INTEGER, limit],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    webhookId: r.webhook_id,
    kind: r.kind,
    firstPosition: r.first_position,
    lastPosition: r.last_position,
    eventCount: Number(r.event_count),
    attempt: Number(r.attempt),
    attemptedAt: r.attempted_at,
    delivered: Boolean(r.delivered),
    responseStatus: r.response_status === null ? null : Number(r.response_status),
    error: r.error,
    durationMs: Number(r.duration_ms),
  }));
}

export async function forgetAttemptsBefore(db: SqlDatabase, before: Date): Promise<number> {
  return db.execute('DELETE FROM webhook_deliveries WHERE attempted_at < $1', [before.toISOString()]);
}
