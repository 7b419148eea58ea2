import { AppendNotifier, delay } from '@app/event-store';
import type { Clock } from '@app/clock';
import type { EventStore, Position, ReadAllOptions, RecordedEvent, StoredEvent } from '@app/event-store';
import { finishBulkLoad, startBulkLoad, type LockedSession, type SqlDatabase, type SqlExecutor } from '@app/sql';
import { deleteCheckpoint, loadCheckpoint, storeCheckpoint } from './checkpoints';
import { ForegroundWork, GIVE_WAY_MS } from './foreground-work';
import type { AnyProcessor } from './processor';

export interface RunnerOptions {
  /** How often an idle processor looks for events written by other instances. */
  pollMs?: number;
  /** Pause after a failed batch before it is tried again. */
  retryMs?: number;
  /** How often a standby instance asks for a processor's lock. */
  standbyMs?: number;
  /** Requests in flight: a batch waits for them to end, for up to `giveWayMs`, before it starts. */
  foreground?: ForegroundWork;
  giveWayMs?: number;
  onError?: (processor: string, error: unknown) => void;
}

export interface ProcessorStatus {
  name: string;
  /** The processor's checkpoint: every event up to it is handled (or did not match its filter). */
  position: Position;
  /** The log's head when asked: the processor is behind when its position is before it. */
  head: Position;
  behind: boolean;
  /** True when this instance holds the processor's lock. */
  active: boolean;
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
  active: boolean;
}

/** Runs each registered processor where its lock is held: one instance at a time per processor. */
export class ProcessorRunner {
  private readonly processors = new Map<string, AnyProcessor>();
  private readonly running = new Map<string, Running>();
  private readonly progress = new AppendNotifier();
  private readonly options: Required<Omit<RunnerOptions, 'onError'>> & Pick<RunnerOptions, 'onError'>;
  /** Callers of `waitUntilCaughtUp`: while anyone waits for the processors, they do not give way. */
  private awaited = 0;
  /** Wakes the batches that are giving way, when someone starts waiting for the processors. */
  private readonly giving = new Set<() => void>();

  constructor(
    private readonly store: EventStore,
    private readonly db: SqlDatabase,
    private readonly clock: Clock,
    options: RunnerOptions = {},
  ) {
    this.options = {
      pollMs: 250,
      retryMs: 1000,
      standbyMs: 2000,
      foreground: new ForegroundWork(),
      giveWayMs: GIVE_WAY_MS,
      ...options,
    };
  }

  register(processor: AnyProcessor): void {
    if (this.processors.has(processor.name)) throw new Error(`Processor ${processor.name} is registered twice`);
    this.processors.set(processor.name, processor);
  }

  names(): string[] {
    return [...this.processors.keys()];
  }

  /** The processors a replay may rebuild: those that can clear what they built (not the integrity chain). */
  rebuildableNames(): string[] {
    return this.names().filter((name) => this.get(name).reset);
  }

  start(names: readonly string[] = this.names()): void {
    for (const name of names) {
      if (this.running.has(name)) continue;
      const controller = new AbortController();
      const entry: Running = { controller, active: false, done: Promise.resolve() };
      entry.done = this.loop(this.get(name), controller.signal, entry);
      this.running.set(name, entry);
    }
  }

  /** Finishes the batch in hand, releases the locks and returns. */
  async stop(names: readonly string[] = [...this.running.keys()]): Promise<void> {
    const stopping = names.map((name) => this.running.get(name)).filter((r): r is Running => Boolean(r));
    for (const r of stopping) r.controller.abort();
    await Promise.all(stopping.map((r) => r.done));
    for (const name of names) this.running.delete(name);
  }

  /**
   * Clears the processor's read model and checkpoint and replays the whole log into it, in this
   * process. Returns the number of events handled.
   */
  async rebuild(name: string, { lockWaitMs = 30_000, batchSize = 20_000 } = {}): Promise<number> {
    const processor = this.get(name);
    if (!processor.reset) throw new Error(`Processor ${name} keeps a record that is never rebuilt`);
    const wasRunning = this.running.has(name);
    await this.stop([name]);
    const session = await this.waitForLock(name, lockWaitMs);
    try {
      await session.transaction(
        async (tx) => {
          if (processor.rebuiltTables) await startBulkLoad(tx, this.db.dialect, processor.rebuiltTables);
          await processor.reset!(tx);
          await deleteCheckpoint(tx, name);
        },
        { rebuildable: true },
      );
      let handled = 0;
      // Larger transactions than in live running: a rebuild is bound by commits, not by latency.
      for (let n = -1; n !== 0; handled += n) n = await this.processBatch(processor, session, batchSize);
      await this.finishRebuild(processor, session);
      return handled;
    } finally {
      await session.release();
      if (wasRunning) this.start([name]);
    }
  }

  /**
   * Resolves once every named processor has handled all its events up to the log's head as it is
   * now, wherever they run. Rejects after `timeoutMs`.
   */
  async waitUntilCaughtUp(names: readonly string[] = this.names(), timeoutMs = 30_000): Promise<void> {
    // Every write committed so far, even one readers cannot see yet while an older transaction is open.
    const head = await this.store.committedHead();
    const deadline = Date.now() + timeoutMs;
    this.awaited++;
    for (const hurry of [...this.giving]) hurry();
    try {
      for (const name of names) {
        while (!(await this.caughtUpTo(this.get(name), head))) {
          if (Date.now() > deadline) throw new Error(`Processor ${name} did not catch up within ${timeoutMs} ms`);
          await this.progress.wait(50);
        }
      }
    } finally {
      this.awaited--;
    }
  }

  /** Two reads per processor, however far behind it is: its checkpoint and the log's head. */
  async status(): Promise<ProcessorStatus[]> {
    const head = await this.store.headPosition();
    return Promise.all(
      this.names().map(async (name) => {
        const position = await loadCheckpoint(this.db, name);
        return { name, position, head, behind: position < head, active: this.running.get(name)?.active ?? false };
      }),
    );
  }

  /** The checkpoint moves past events the filter skips too, so this is one comparison. */
  private async caughtUpTo(processor: AnyProcessor, head: Position): Promise<boolean> {
    return (await loadCheckpoint(this.db, processor.name)) >= head;
  }

  private async loop(processor: AnyProcessor, signal: AbortSignal, entry: Running): Promise<void> {
    const { pollMs, retryMs, standbyMs } = this.options;
    while (!signal.aborted) {
      let session: LockedSession | null = null;
      try {
        session = await this.db.tryLock(lockKey(processor.name));
        if (!session) {
          await delay(standbyMs, signal);
          continue;
        }
        entry.active = true;
        await this.finishRebuild(processor, session);
        while (!signal.aborted) {
          await this.giveWay(signal);
          if (signal.aborted) break;
          const handled = await this.processBatch(processor, session);
          if (handled === 0) await this.store.waitForAppend(pollMs, signal);
        }
      } catch (error) {
        this.options.onError?.(processor.name, error);
        await delay(retryMs, signal);
      } finally {
        entry.active = false;
        await session?.release().catch(() => undefined);
      }
    }
  }

  /**
   * Builds the indexes a rebuild put aside: at its end, and before a processor's first batch on an
   * instance that takes its lock, in case a rebuild stopped half-way (a read or two when none did).
   */
  private async finishRebuild(processor: AnyProcessor, session: LockedSession): Promise<void> {
    const tables = processor.rebuiltTables;
    if (tables) await session.transaction((tx) => finishBulkLoad(tx, this.db.dialect, tables));
  }

  /** Requests in flight go first, for a bounded time, unless someone is waiting for the processors. */
  private async giveWay(signal: AbortSignal): Promise<void> {
    if (this.awaited) return;
    const waking = new AbortController();
    const wake = () => waking.abort();
    signal.addEventListener('abort', wake, { once: true });
    this.giving.add(wake);
    try {
      await this.options.foreground.giveWay(this.options.giveWayMs, waking.signal);
    } finally {
      signal.removeEventListener('abort', wake);
      this.giving.delete(wake);
    }
  }

  /**
   * One batch: read after the checkpoint, handle, store the new checkpoint, all in one transaction,
   * rebuildable: what it writes follows from the log, so a power cut that takes it back only means
   * handling the same events again.
   * When the read comes back short it reached the log's end, so the checkpoint moves to the head read
   * before it even if the filter matched nothing: an idle processor never rescans what it skipped.
   */
  private async processBatch(
    processor: AnyProcessor,
    session: LockedSession,
    batchSize = processor.batchSize ?? 500,
  ): Promise<number> {
    const head = await this.store.headPosition();
    const { handled, moved } = await session.transaction(
      async (tx) => {
        const from = await loadCheckpoint(tx, processor.name);
        const options: ReadAllOptions = { from, maxCount: batchSize, filter: processor.filter };
        const events = processor.reads === 'as-written' ? await this.readStored(options) : await this.read(options);
        const last = events.length ? events[events.length - 1].position : from;
        const reached = events.length < batchSize && head > last ? head : last;
        if (events.length) await handle(processor, events, tx);
        if (reached === from) return { handled: 0, moved: false };
        await storeCheckpoint(tx, processor.name, reached, this.clock.now());
        return { handled: events.length, moved: true };
      },
      { rebuildable: true },
    );
    // After the commit: a waiter woken now reads the new checkpoint.
    if (moved) this.progress.notify();
    return handled;
  }

  private async read(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of this.store.readAll(options)) events.push(event);
    return events;
  }

  private async readStored(options: ReadAllOptions): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for await (const page of this.store.readAllStored({ ...options, asWritten: true })) events.push(...page);
    return events;
  }

  private async waitForLock(name: string, waitMs: number): Promise<LockedSession> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const session = await this.db.tryLock(lockKey(name));
      if (session) return session;
      if (Date.now() > deadline)
        throw new Error(`Processor ${name} is running elsewhere; its lock was not free within ${waitMs} ms`);
      await delay(100);
    }
  }

  private get(name: string): AnyProcessor {
    const processor = this.processors.get(name);
    if (!processor) throw new Error(`No processor named ${name}`);
    return processor;
  }
}

/** Each kind of processor is handed what it reads. */
function handle(processor: AnyProcessor, events: RecordedEvent[] | StoredEvent[], tx: SqlExecutor): Promise<void> {
  return processor.reads === 'as-written'
    ? processor.handle(events as StoredEvent[], tx)
    : processor.handle(events as RecordedEvent[], tx);
}

function lockKey(name: string): string {
  return `processor:${name}`;
}
