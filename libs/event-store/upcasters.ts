import type { JsonObject, RecordedEvent } from './event-store';

type Upcaster = (data: JsonObject, event: RecordedEvent) => JsonObject;

/**
 * Stored shapes never change in place: a new shape gets a new schemaVersion and an upcaster from
 * the one before. Stores apply them in one place when reading, so aggregates and projections only
 * ever see the newest shape.
 */
export class Upcasters {
  private readonly steps = new Map<string, Upcaster>();
  /** The types some step reads: most events are of none, and are known so without making a key. */
  private readonly types = new Set<string>();

  /** `fn` turns `type` at `fromVersion` into `fromVersion + 1`. */
  register(type: string, fromVersion: number, fn: Upcaster): this {
    const key = `${type}@${fromVersion}`;
    if (this.steps.has(key)) throw new Error(`An upcaster for ${key} is registered twice`);
    this.steps.set(key, fn);
    this.types.add(type);
    return this;
  }

  /** Whether an event of this type and version is read in another shape than it was stored. */
  changes(type: string, schemaVersion: number): boolean {
    return this.types.has(type) && this.steps.has(`${type}@${schemaVersion}`);
  }

  apply(event: RecordedEvent): RecordedEvent {
    if (!this.types.has(event.type)) return event;
    let current = event;
    for (
      let step = this.steps.get(`${current.type}@${current.schemaVersion}`);
      step;
      step = this.steps.get(`${current.type}@${current.schemaVersion}`)
    ) {
      current = { ...current, data: step(current.data, current), schemaVersion: current.schemaVersion + 1 };
    }
    return current;
  }
}
