import type { Clock } from '@app/clock';
import { delay, type EventFilter, type EventStore, type RecordedEvent } from '@app/event-store';
import { feedEntries, type RecentNames } from '@app/invitations';
import type { SqlDatabase } from '@app/sql';
import type { WebhookEndpointState } from '../domain/webhook-endpoint';
import { type EndpointSecrets, secretsAt, signedHeaders } from '../application/webhook-signatures';
import { afterFailure, type RetrySchedule } from './retry-schedule';
import { loadCursor, saveCursor, type WebhookCursor } from './webhook-cursors';
import { logAttempt } from './webhook-delivery-log';
import { webhookMessage, type WebhookMessage } from './webhook-payload';
import { delivered, type PostResult, type WebhookTransport } from './webhook-transport';

export interface DeliveryTools {
  store: EventStore;
  db: SqlDatabase;
  clock: Clock;
  transport: WebhookTransport;
  names: RecentNames;
  retries: RetrySchedule;
  /** Records that deliveries gave up: the endpoint is disabled, with the reason. */
  disable(endpoint: WebhookEndpointState, reason: string, failingSince: string): Promise<void>;
}

/** How often, at most, a wait for a retry looks at the clock again (a test clock moves in jumps). */
const CLOCK_CHECK_MS = 200;

/**
 * One endpoint's deliveries, in log order: follow the log from the endpoint's checkpoint through the
 * store's subscription, POST what is waiting (one event, or up to its batch size), and move the
 * checkpoint only once the receiver answered 2xx. At least once: a crash between the answer and the
 * checkpoint sends that delivery again; nothing later is sent before it succeeds.
 */
export async function deliverToEndpoint(
  endpoint: WebhookEndpointState,
  secrets: EndpointSecrets,
  tools: DeliveryTools,
  signal: AbortSignal,
): Promise<void> {
  let cursor = await startingCursor(endpoint, tools);
  const events = tools.store.subscribeToAll({ from: cursor.position, filter: filterOf(endpoint), signal });
  const batches = readyBatches(events[Symbol.asyncIterator](), endpoint.maxEventsPerDelivery);
  for await (const batch of batches) {
    if (signal.aborted) return;
    const entries = await feedEntries(batch, tools.names);
    const message = webhookMessage(endpoint.id, entries, endpoint.maxEventsPerDelivery > 1);
    const next = await deliver(endpoint, secrets, message, cursor, tools, signal);
    if (!next) return;
    cursor = next;
  }
}

/** Where to start: the checkpoint, unless a replay was asked for since it was written. */
async function startingCursor(endpoint: WebhookEndpointState, { db }: DeliveryTools): Promise<WebhookCursor> {
  const cursor = await loadCursor(db, endpoint.id, endpoint.startsAfter);
  if (!endpoint.replay || endpoint.replay.seq <= cursor.replaySeq) return cursor;
  const replayed = { ...cursor, position: endpoint.replay.from, replaySeq: endpoint.replay.seq };
  await saveCursor(db, endpoint.id, replayed);
  return replayed;
}

function filterOf(endpoint: WebhookEndpointState): EventFilter {
  return { types: endpoint.types, ...(endpoint.deploymentId ? { deploymentIds: [endpoint.deploymentId] } : {}) };
}

/**
 * Until it is delivered: the new checkpoint then. Null when the endpoint was disabled (3 days of
 * failures) or the run was stopped. Every attempt is recorded with the cursor it leaves.
 */
async function deliver(
  endpoint: WebhookEndpointState,
  secrets: EndpointSecrets,
  message: WebhookMessage,
  from: WebhookCursor,
  tools: DeliveryTools,
  signal: AbortSignal,
): Promise<WebhookCursor | null> {
  let cursor = from;
  for (;;) {
    await untilDue(cursor.nextAttemptAt, tools.clock, signal);
    if (signal.aborted) return null;
    const now = tools.clock.now();
    const result = await tools.transport.post(
      endpoint.url,
      signedHeaders(secretsAt(secrets, now), message.id, now, message.body),
      message.body,
    );
    const attempt = { message, attempt: cursor.attempts + 1, at: now, result };
    if (delivered(result)) {
      cursor = { ...cursor, position: message.lastPosition, attempts: 0, failingSince: null, nextAttemptAt: null };
      await record(tools.db, endpoint.id, cursor, attempt);
      return cursor;
    }
    const failingSince = cursor.failingSince ?? now.toISOString();
    const next = afterFailure(tools.retries, attempt.attempt, new Date(failingSince), now);
    const nextAttemptAt = next.giveUp ? null : next.at.toISOString();
    cursor = { ...cursor, attempts: attempt.attempt, failingSince, nextAttemptAt };
    await record(tools.db, endpoint.id, cursor, attempt);
    if (next.giveUp) {
      const reason = `Deliveries failed for 3 days (${attempt.attempt} attempts); the last: ${result.error}`;
      await tools.disable(endpoint, reason, failingSince);
      return null;
    }
  }
}

async function record(
  db: SqlDatabase,
  endpointId: string,
  cursor: WebhookCursor,
  { message, attempt, at, result }: { message: WebhookMessage; attempt: number; at: Date; result: PostResult },
): Promise<void> {
  await db.transaction(async (tx) => {
    await saveCursor(tx, endpointId, cursor);
    await logAttempt(tx, endpointId, {
      webhookId: message.id,
      kind: 'events',
      firstPosition: message.firstPosition,
      lastPosition: message.lastPosition,
      eventCount: message.eventCount,
      attempt,
      attemptedAt: at.toISOString(),
      delivered: delivered(result),
      responseStatus: result.status,
      error: result.error,
      durationMs: result.durationMs,
    });
  });
}

async function untilDue(at: string | null, clock: Clock, signal: AbortSignal): Promise<void> {
  if (!at) return;
  const due = Date.parse(at);
  while (!signal.aborted && clock.now().getTime() < due)
    await delay(Math.min(CLOCK_CHECK_MS, due - clock.now().getTime()), signal);
}

/**
 * The subscription's events in batches of what is ready now, up to `max`: a batch never waits for
 * more events to fill it, so batches grow only while the receiver is slower than the log.
 */
async function* readyBatches(events: AsyncIterator<RecordedEvent>, max: number): AsyncGenerator<RecordedEvent[]> {
  const notYet = Symbol('not yet');
  let pending: Promise<IteratorResult<RecordedEvent>> | null = null;
  for (;;) {
    const first = await (pending ?? events.next());
    pending = null;
    if (first.done) return;
    const batch = [first.value];
    while (batch.length < max) {
      pending = events.next();
      const ready = await Promise.race([pending, new Promise<typeof notYet>((r) => setImmediate(() => r(notYet)))]);
      if (ready === notYet) break;
      pending = null;
      if (ready.done) {
        yield batch;
        return;
      }
      batch.push(ready.value);
    }
    yield batch;
  }
}
