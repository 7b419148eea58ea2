import type { EventFilter, RecordedEvent, StoredEvent } from '@app/event-store';
import type { SqlExecutor } from '@app/sql';

interface ProcessorShape {
  readonly name: string;
  readonly filter?: EventFilter;
  /** Events per transaction; default 500. */
  readonly batchSize?: number;
  /** Clears what the processor built, before a rebuild from position zero. Without it, rebuilding is refused. */
  reset?(tx: SqlExecutor): Promise<void>;
  /**
   * The tables `reset` empties and only this processor writes: a rebuild drops their secondary
   * indexes and triggers before its first batch and builds them once after its last (a bulk load).
   */
  readonly rebuiltTables?: readonly string[];
}

/**
 * A durable reader of the global log: projections, the mail sender, external feeds. Delivery is at
 * least once; a handler's SQL writes commit in one transaction with its checkpoint, so read models
 * built from `tx` see each event exactly once.
 */
export interface Processor extends ProcessorShape {
  readonly reads?: 'events';
  handle(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void>;
}

/** A processor of the log exactly as stored (no upcaster, data as JSON text): the integrity chain. */
export interface StoredEventProcessor extends ProcessorShape {
  readonly reads: 'as-written';
  handle(events: readonly StoredEvent[], tx: SqlExecutor): Promise<void>;
}

/** What the runner runs: either kind. */
export type AnyProcessor = Processor | StoredEventProcessor;
