/**
 * Work that runs in the background until stopped (a dispatcher's loop): started once however often
 * asked, stopped by aborting its signal and waiting until it has ended.
 */
export class BackgroundLoop {
  private controller: AbortController | null = null;
  private done: Promise<void> | null = null;

  constructor(private readonly body: (signal: AbortSignal) => Promise<void>) {}

  get running(): boolean {
    return this.done !== null;
  }

  start(): void {
    if (this.done) return;
    this.controller = new AbortController();
    this.done = this.body(this.controller.signal);
  }

  async stop(): Promise<void> {
    this.controller?.abort();
    await this.done;
    this.done = null;
  }
}
