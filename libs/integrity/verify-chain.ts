import { START, type EventStore, type Position, type StoredEvent } from '@app/event-store';
import type { SqlExecutor } from '@app/sql';
import { chainHash, GENESIS } from './chain-link';
import { hashPages, linkAt } from './chain-links';
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

/** A stretch of the chain: the links after `after` (the start when null) up to `through` (the end when absent). */
export interface ChainSegment {
  after: ChainLink | null;
  through?: number;
}

export interface ChainReport {
  /** Links checked and found right. */
  verified: number;
  /** The last of them. */
  last: ChainLink | null;
  /** Events in the log after the chain's last link: written but not chained yet (0 for an inner segment). */
  unchained: number;
  broken: ChainBreak | null;
}

/**
 * Walks the log (as written) and the chain side by side and checks every link: hash = SHA-256
 * (previous link's hash ‖ canonical event). Stops at the first disagreement. Only hashes are read
 * in the loop, a page at a time; where one differs, the link's place and event say what happened.
 * A segment starts from its `after` link, so stretches of one chain can be checked side by side.
 */
export async function verifyChain(
  store: EventStore,
  db: SqlExecutor,
  anchors: readonly AnchorCheck[] = [],
  segment: ChainSegment = { after: null },
): Promise<ChainReport> {
  const events = new PagedReader(store.readAllStored({ asWritten: true, from: segment.after?.position ?? START }));
  const anchorAt = new Map(anchors.map((a) => [a.seq, a.hash]));
  const first = (segment.after?.seq ?? 0) + 1;
  let previous = segment.after?.hash ?? GENESIS;
  let seq = first;
  const report = async (broken: ChainBreak | null, unchained = 0): Promise<ChainReport> => ({
    verified: seq - first,
    last: seq > first ? await linkAt(db, seq - 1) : null,
    unchained,
    broken,
  });
  for await (const links of hashPages(db, first - 1, segment.through)) {
    for (const link of links) {
      const event = await events.next();
      if (link.seq !== seq || !event || chainHash(previous, event) !== link.hash)
        return report(await diagnose(db, seq, event));
      const anchored = anchorAt.get(seq);
      if (anchored !== undefined && anchored !== link.hash) {
        const { position, eventId } = (await linkAt(db, seq))!;
        return report({ seq, position, eventId, problem: 'anchor-differs' });
      }
      previous = link.hash;
      seq++;
    }
  }
  if (segment.through !== undefined) return report(null);
  const beyond = anchors.filter((a) => a.seq >= seq).sort((a, b) => a.seq - b.seq)[0];
  if (beyond) return report({ seq: beyond.seq, position: '', eventId: null, problem: 'anchor-differs' });
  return report(null, await events.countRest());
}

/** What is wrong where the link at `seq` does not hold `event` (the next event in the log, if any). */
async function diagnose(db: SqlExecutor, seq: number, event: StoredEvent | null): Promise<ChainBreak> {
  const link = await linkAt(db, seq);
  if (!link) return { seq, position: event?.position ?? '', eventId: event?.id ?? null, problem: 'link-missing' };
  if (!event || event.position > link.position)
    return { seq, position: link.position, eventId: link.eventId, problem: 'missing' };
  if (event.position < link.position) return { seq, position: event.position, eventId: event.id, problem: 'inserted' };
  return { seq, position: link.position, eventId: link.eventId, problem: 'changed' };
}

/** One event at a time from a store's pages, awaiting only when a page runs out. */
class PagedReader {
  private page: StoredEvent[] = [];
  private index = 0;
  private readonly pages: AsyncIterator<StoredEvent[]>;

  constructor(pages: AsyncIterable<StoredEvent[]>) {
    this.pages = pages[Symbol.asyncIterator]();
  }

  next(): StoredEvent | null | Promise<StoredEvent | null> {
    if (this.index < this.page.length) return this.page[this.index++];
    return this.turn();
  }

  async countRest(): Promise<number> {
    let count = this.page.length - this.index;
    for (let next = await this.pages.next(); !next.done; next = await this.pages.next()) count += next.value.length;
    return count;
  }

  private async turn(): Promise<StoredEvent | null> {
    const next = await this.pages.next();
    if (next.done) return null;
    this.page = next.value;
    this.index = 0;
    return this.next();
  }
}
