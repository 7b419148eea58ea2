import type { EventStore, Position, StoredEvent } from '@app/event-store';
import type { SqlExecutor } from '@app/sql';
import { chainHash, GENESIS } from './chain-link';
import { allLinks } from './chain-links';
import type { ChainLink } from './event-chain-schema';

/**
 * What is wrong at the first place the log and its chain disagree:
 * - `changed`: the event there is not the one that was chained (its data or envelope edited, events
 *   swapped, or the link itself edited);
 * - `missing`: the chained event is gone (deleted, or the log's tail cut off);
 * - `inserted`: an event stands where the chain has none;
 * - `link-missing`: the chain skips a place (a link deleted);
 * - `anchor-differs`: the chain there is not the one an anchor recorded (the chain was rewritten);
 *   with an anchor past the chain's end, the chain and the log were both cut short.
 */
export type ChainProblem = 'changed' | 'missing' | 'inserted' | 'link-missing' | 'anchor-differs';

export interface ChainBreak {
  /** The place in the chain, counted from 1. */
  seq: number;
  position: Position;
  eventId: string | null;
  problem: ChainProblem;
}

/** An anchor the caller kept: the chain must still hold this hash at this place. */
export interface AnchorCheck {
  seq: number;
  hash: string;
}

export interface ChainReport {
  /** Events whose link was checked, from the first. */
  verified: number;
  /** The last link checked and found right. */
  last: ChainLink | null;
  /** Events in the log after the chain's last link: written but not chained yet. */
  unchained: number;
  broken: ChainBreak | null;
}

/**
 * Walks the log (as written) and the chain side by side from the start and checks every link:
 * hash = SHA-256(previous link's hash ‖ canonical event). Stops at the first disagreement.
 */
export async function verifyChain(
  store: EventStore,
  db: SqlExecutor,
  anchors: readonly AnchorCheck[] = [],
): Promise<ChainReport> {
  const events = eventsAsWritten(store)[Symbol.asyncIterator]();
  const anchorAt = new Map(anchors.map((a) => [a.seq, a.hash]));
  let previous = GENESIS;
  let last: ChainLink | null = null;
  let seq = 0;
  const report = (broken: ChainBreak | null, unchained = 0): ChainReport => ({
    verified: last?.seq ?? 0,
    last,
    unchained,
    broken,
  });
  for await (const link of allLinks(db)) {
    seq++;
    const next = await events.next();
    const event = next.done ? null : next.value;
    if (link.seq !== seq)
      return report({
        seq,
        position: event?.position ?? link.position,
        eventId: event?.id ?? null,
        problem: 'link-missing',
      });
    if (!event || event.position > link.position)
      return report({ seq, position: link.position, eventId: link.eventId, problem: 'missing' });
    if (event.position < link.position)
      return report({ seq, position: event.position, eventId: event.id, problem: 'inserted' });
    if (chainHash(previous, event) !== link.hash)
      return report({ seq, position: link.position, eventId: link.eventId, problem: 'changed' });
    const anchored = anchorAt.get(seq);
    if (anchored !== undefined && anchored !== link.hash)
      return report({ seq, position: link.position, eventId: link.eventId, problem: 'anchor-differs' });
    previous = link.hash;
    last = link;
  }
  const beyond = anchors.filter((a) => a.seq > seq).sort((a, b) => a.seq - b.seq)[0];
  if (beyond) return report({ seq: beyond.seq, position: '', eventId: null, problem: 'anchor-differs' });
  let unchained = 0;
  for (let next = await events.next(); !next.done; next = await events.next()) unchained++;
  return report(null, unchained);
}

async function* eventsAsWritten(store: EventStore): AsyncGenerator<StoredEvent> {
  for await (const page of store.readAllStored({ asWritten: true })) yield* page;
}
