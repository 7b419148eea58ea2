import type { EventStore, Position, RecordedEvent, SubscribeOptions } from './event-store';

/** Wakes this process's waiters when an append commits; other instances find new events by polling. */
export class AppendNotifier {
  private waiters = new Set<() => void>();

  notify(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return delay(ms, signal, (wake) => {
      this.waiters.add(wake);
      return () => this.waiters.delete(wake);
    });
  }
}

/**
 * Resolves after `ms`, when the signal aborts, or when `onWake`'s caller wakes it, whichever comes
 * first; `onWake` returns how to forget the waiter.
 */
export function delay(ms: number, signal?: AbortSignal, onWake?: (wake: () => void) => () => void): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    let forget = () => {};
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      forget();
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    if (onWake) forget = onWake(done);
  });
}

/** Catch-up then live for any store that can readAll and waitForAppend. */
export async function* subscribeByReading(
  store: Pick<EventStore, 'readAll' | 'waitForAppend'>,
  { from, filter, signal }: SubscribeOptions,
  pollMs = 200,
): AsyncGenerator<RecordedEvent> {
  let position: Position | undefined = from;
  while (!signal.aborted) {
    let seen = 0;
    for await (const event of store.readAll({ from: position, maxCount: 1000, filter })) {
      if (signal.aborted) return;
      position = event.position;
      seen++;
      yield event;
    }
    if (seen === 0) await store.waitForAppend(pollMs, signal);
  }
}
