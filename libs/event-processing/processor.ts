import type { EventFilter, RecordedEvent } from '@app/event-store';
import type { SqlExecutor } from '@app/sql';

/**
 * A durable reader of the global log: projections, the mail sender, external feeds. Delivery is at
 * least once; a handler's SQL writes commit in one transaction with its checkpoint, so read models
 * built from `tx` see each event exactly once.
 */
export interface Processor {
  readonly name: string;
  readonly filter?: EventFilter;
  /** Events per transaction; default 500. */
  readonly batchSize?: number;
  handle(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void>;
  /** Clears what the processor built, before a rebuild from position zero. */
  reset?(tx: SqlExecutor): Promise<void>;
}
