import type { EventStore, RecordedEvent } from '@app/event-store';
import { foldStream } from '@app/event-store';

interface Folded {
  state: unknown;
  revision: bigint | null;
  at: number;
}

/** How long a folded state is kept without being asked for: what it holds (an address, a name) goes with it. */
const KEEP_MS = 5_000;
const MOST = 10_000;

/**
 * Streams folded recently, each with the revision it was folded at. A state is handed out again only
 * after the store says the stream is still at that revision (one indexed read, no event read), so a
 * change of role, a deactivation or an erasure counts from the next request exactly as a fresh fold
 * would; what saves is reading, opening and folding the events. Kept for seconds, at most MOST.
 */
export class CurrentStates {
  private readonly folded = new Map<string, Folded>();
  private sweptAt = Date.now();

  constructor(private readonly store: EventStore) {}

  async fold<S>(stream: string, evolve: (state: S | null, event: RecordedEvent) => S | null): Promise<S | null> {
    const kept = this.folded.get(stream);
    if (kept && Date.now() - kept.at < KEEP_MS) {
      const revision = (await this.store.streamRevisions([stream])).get(stream) ?? null;
      if (revision === kept.revision) return kept.state as S | null;
    }
    const { state, revision } = await foldStream<S | null>(this.store, stream, null, evolve);
    this.keep(stream, { state, revision, at: Date.now() });
    return state;
  }

  private keep(stream: string, folded: Folded): void {
    this.folded.delete(stream);
    this.folded.set(stream, folded);
    const now = Date.now();
    if (now - this.sweptAt > KEEP_MS || this.folded.size > MOST) {
      this.sweptAt = now;
      // Oldest first (a Map keeps insertion order, and a stream kept again moves to the end).
      for (const [key, entry] of this.folded) {
        if (now - entry.at < KEEP_MS && this.folded.size <= MOST) break;
        this.folded.delete(key);
      }
    }
  }
}
