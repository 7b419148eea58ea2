import type { Response } from 'express';
import { once } from 'node:events';
import type { FeedEntry } from '../application/auditing/audit-entries';

/**
 * Writes events as Server-Sent Events (the HTML standard's `text/event-stream`): each with `id` (its
 * log position, which a reconnecting EventSource sends back as Last-Event-ID), `event` (its type) and
 * `data` (the feed's JSON, one line). A comment line goes out whenever nothing else has for
 * `heartbeatMs`, so proxies keep the connection and the client knows it is alive. Waits for the
 * socket to drain rather than buffering a slow reader's backlog; stops when `signal` aborts.
 */
export async function writeEventStream(
  res: Response,
  events: AsyncIterable<FeedEntry>,
  heartbeatMs: number,
  signal: AbortSignal,
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  let lastWrite = Date.now();
  const heartbeat = setInterval(() => {
    if (Date.now() - lastWrite >= heartbeatMs && !res.writableEnded) {
      res.write(': heartbeat\n\n');
      lastWrite = Date.now();
    }
  }, heartbeatMs);
  try {
    res.write(`retry: 1000\n\n`);
    for await (const event of events) {
      const ok = res.write(`id: ${event.position}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      lastWrite = Date.now();
      // A client that goes away while its backlog drains ends the wait (and the stream) at once.
      if (!ok) await once(res, 'drain', { signal }).catch(() => undefined);
      if (signal.aborted) return;
    }
  } finally {
    clearInterval(heartbeat);
  }
}
