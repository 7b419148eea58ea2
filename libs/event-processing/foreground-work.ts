import { delay } from '@app/event-store';

/**
 * Work a person is waiting for: an HTTP request, from its arrival to the last byte of its answer.
 * Background work (processors, the mail sender) shares the event loop with it and, on SQLite, runs
 * synchronous batches; before each batch it gives way to the foreground for a bounded time, so an
 * answer is not written in turns interleaved with batches, and the background still moves on under
 * constant load.
 */
/** How long a background batch waits at most for requests in flight: the lag it may add per batch. */
export const GIVE_WAY_MS = 100;

export class ForegroundWork {
  private inFlight = 0;
  private readonly waiting = new Set<() => void>();

  /** One piece of foreground work has begun; call what this returns when it is over (once is enough). */
  begin(): () => void {
    this.inFlight++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight--;
      if (this.inFlight === 0) for (const wake of [...this.waiting]) wake();
    };
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Resolves at once when nothing is in flight; otherwise when it is over, after `maxMs`, or on abort. */
  giveWay(maxMs: number, signal?: AbortSignal): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return delay(maxMs, signal, (wake) => {
      this.waiting.add(wake);
      return () => this.waiting.delete(wake);
    });
  }
}
