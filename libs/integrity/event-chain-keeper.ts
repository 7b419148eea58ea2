import type { StoredEvent } from '@app/event-store';
import type { StoredEventProcessor } from '@app/event-processing';
import { chunksOf, placeholderList, type SqlExecutor } from '@app/sql';
import { chainHash, GENESIS } from './chain-link';
import { lastLink } from './chain-links';

const ROWS_PER_INSERT = 250;

/**
 * Extends the hash chain over every new event, in log order, as the store keeps it. A processor like
 * the read models (one instance at a time, its links committed with its checkpoint) but never reset:
 * rebuilding the chain from the log as it is now would bless any change made to it.
 */
export class EventChainKeeper implements StoredEventProcessor {
  readonly name = 'event-chain';
  readonly reads = 'as-written';
  readonly batchSize = 2000;

  async handle(events: readonly StoredEvent[], tx: SqlExecutor): Promise<void> {
    const last = await lastLink(tx);
    let seq = last?.seq ?? 0;
    let hash = last?.hash ?? GENESIS;
    const rows = events.map((event) => {
      hash = chainHash(hash, event);
      return [++seq, event.position, event.id, hash] as const;
    });
    for (const chunk of chunksOf(rows, ROWS_PER_INSERT)) {
      const values = chunk.map((_, i) => `(${placeholderList(4, i * 4 + 1)})`).join(', ');
      await tx.execute(`INSERT INTO event_chain (seq, position, event_id, hash) VALUES ${values}`, chunk.flat());
    }
  }
}
