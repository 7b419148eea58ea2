/**
 * Work a person is waiting for: an HTTP request, from its arrival to the last byte of its answer.
 * Background work (processors, the mail sender) shares the event loop with it and, on SQLite, runs
 * synchronous batches. While requests are in flight, background batches go one at a time, each after
 * a pause of `GIVE_WAY_MS` counted from the end of the one before: an answer is not written in turns
 * squeezed between batches, and the background still moves on under constant load.
 */

/** The pause before each background batch while requests are in flight: the lag it may add per batch. */
export const GIVE_WAY_MS = 100;

export class ForegroundWork {
  private inFlight = 0;
  /** Background batches waiting for their turn, first come first served. */
  private readonly waiting: (() => void)[] = [];
  /** The next turn's timer, or 'after-batch' between a turn and the pause that follows it. */
  private turn: NodeJS.Timeout | 'after-batch' | null = null;

  /** One piece of foreground work has begun; call what this returns when it is over (once is enough). */
  begin(): () => void {
    this.inFlight++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight--;
      if (this.inFlight === 0) this.releaseAll();
    };
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /**
   * Resolves at once when nothing is in flight; otherwise when everything in flight is over, when
   * this batch's turn comes (one per `pauseMs`), or on abort.
   */
  giveWay(pauseMs: number, signal?: AbortSignal): Promise<void> {
    if (!this.busy || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const go = () => {
        signal?.removeEventListener('abort', abandon);
        resolve();
      };
      const abandon = () => {
        const at = this.waiting.indexOf(go);
        if (at >= 0) this.waiting.splice(at, 1);
        if (!this.waiting.length) this.cancelTurn();
        resolve();
      };
      signal?.addEventListener('abort', abandon, { once: true });
      this.waiting.push(go);
      this.scheduleTurn(pauseMs);
    });
  }

  private scheduleTurn(pauseMs: number): void {
    if (this.turn) return;
    const timer = setTimeout(() => {
      this.turn = 'after-batch';
      this.waiting.shift()?.();
      // The batch let through runs in the turns right after this one: the next pause starts after it.
      setImmediate(() => {
        if (this.turn !== 'after-batch') return;
        this.turn = null;
        if (this.waiting.length) this.scheduleTurn(pauseMs);
      });
    }, pauseMs);
    this.turn = timer;
  }

  private releaseAll(): void {
    this.cancelTurn();
    for (const go of this.waiting.splice(0)) go();
  }

  private cancelTurn(): void {
    if (this.turn && this.turn !== 'after-batch') clearTimeout(this.turn);
    this.turn = null;
  }
}
