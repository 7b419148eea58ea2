import type { ActorNames } from '../actor-names';

/**
 * Actor names for one reader of the log (a live stream, a webhook endpoint), each looked up once and kept for a minute (a rename shows within it):
 * a reader of thousands of events by a handful of actors asks the directory a handful of times.
 */
export class RecentNames implements Pick<ActorNames, 'of'> {
  private known = new Map<string, string | null>();
  private since = Date.now();

  constructor(private readonly names: ActorNames) {}

  async of(ids: readonly string[]): Promise<Map<string, string>> {
    if (Date.now() - this.since > 60_000) {
      this.known = new Map();
      this.since = Date.now();
    }
    const unknown = [...new Set(ids)].filter((id) => !this.known.has(id));
    if (unknown.length) {
      const found = await this.names.of(unknown);
      for (const id of unknown) this.known.set(id, found.get(id) ?? null);
    }
    return new Map(ids.flatMap((id) => (this.known.get(id) ? [[id, this.known.get(id)!] as const] : [])));
  }
}
