import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  JsonObject,
  NewEvent,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StoredEvent,
  StreamAppend,
  SubscribeOptions,
} from '@app/event-store';
import { isSealed } from './sealed-value';
import { ERASED, type PersonalFieldRule } from './personal-fields';
import { PERSON, type PersonalDataVault } from './personal-data-vault';

/** Events opened per look-up of their keys, on reads that run to an end. */
const CHUNK = 500;

/**
 * The event store as every context uses it, with personal data sealed at rest: the fields the rules
 * name are encrypted under their person's key as they are appended, and opened as they are read
 * (ERASED once the key is gone). Reads of events as written (the integrity chain) see them sealed, so
 * erasing a person changes nothing the chain hashed. Events written before sealing are read as they are.
 */
export class SealingEventStore implements EventStore {
  private readonly rules: ReadonlyMap<string, PersonalFieldRule>;

  constructor(
    private readonly inner: EventStore,
    private readonly vault: PersonalDataVault,
    rules: readonly PersonalFieldRule[],
  ) {
    this.rules = new Map(rules.map((rule) => [rule.type, rule]));
  }

  get kind(): EventStore['kind'] {
    return this.inner.kind;
  }

  get upcasters(): EventStore['upcasters'] {
    return this.inner.upcasters;
  }

  async appendToStream(
    stream: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    return this.inner.appendToStream(stream, await this.sealAll(events), options);
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    return this.inner.appendToStreams(await this.sealAppends(appends));
  }

  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    const events = this.inner.readStream(stream, options);
    return options?.sealed ? events : this.openInChunks(events);
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    return options.asWritten ? this.inner.readAll(options) : this.openInChunks(this.inner.readAll(options));
  }

  async *readAllStored(options: ReadAllOptions = {}): AsyncIterable<StoredEvent[]> {
    for await (const page of this.inner.readAllStored(options)) yield options.asWritten ? page : this.openStored(page);
  }

  async streamHeads(streams: readonly string[]): Promise<Map<string, RecordedEvent>> {
    const heads = await this.inner.streamHeads(streams);
    const opened = await this.openEvents([...heads.values()]);
    return new Map([...heads.keys()].map((stream, i) => [stream, opened[i]]));
  }

  /** Nothing is opened: no event is read. */
  streamRevisions(streams: readonly string[]): Promise<Map<string, bigint>> {
    return this.inner.streamRevisions(streams);
  }

  async *subscribeToAll(options: SubscribeOptions): AsyncIterable<RecordedEvent> {
    for await (const event of this.inner.subscribeToAll(options)) yield (await this.openEvents([event]))[0];
  }

  headPosition(): Promise<Position> {
    return this.inner.headPosition();
  }

  committedHead(): Promise<Position> {
    return this.inner.committedHead();
  }

  waitForAppend(ms: number, signal?: AbortSignal): Promise<void> {
    return this.inner.waitForAppend(ms, signal);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async sealAppends(appends: readonly StreamAppend[]): Promise<StreamAppend[]> {
    const events = appends.flatMap((append) => append.events);
    const sealed = await this.sealAll(events);
    let next = 0;
    return appends.map((append) => ({ ...append, events: append.events.map(() => sealed[next++]) }));
  }

  /** Seals every event's personal fields, all their people's keys looked up (or made) at once. */
  private async sealAll(events: readonly NewEvent[]): Promise<NewEvent[]> {
    const plans = events.map((event) => {
      const rule = this.rules.get(event.type);
      const address = rule?.addressOf(event.data);
      if (!rule || !address) return null;
      const fields = rule.fields.filter((f) => typeof event.data[f] === 'string' && !isSealed(event.data[f]));
      return fields.length
        ? { subject: this.vault.subjectOf(address), scope: rule.scopeOf?.(event.data) ?? PERSON, fields }
        : null;
    });
    const people = plans.flatMap((plan, i) =>
      plan
        ? [{ subject: plan.subject, scope: plan.scope, values: plan.fields.map((f) => events[i].data[f] as string) }]
        : [],
    );
    if (!people.length) return [...events];
    const sealed = await this.vault.sealEach(people);
    let next = 0;
    return events.map((event, i) => {
      const plan = plans[i];
      if (!plan) return event;
      const values = sealed[next++];
      return { ...event, data: { ...event.data, ...Object.fromEntries(plan.fields.map((f, j) => [f, values[j]])) } };
    });
  }

  private async *openInChunks(events: AsyncIterable<RecordedEvent>): AsyncGenerator<RecordedEvent> {
    let chunk: RecordedEvent[] = [];
    for await (const event of events) {
      chunk.push(event);
      if (chunk.length === CHUNK) {
        yield* await this.openEvents(chunk);
        chunk = [];
      }
    }
    if (chunk.length) yield* await this.openEvents(chunk);
  }

  /** Opens the sealed fields of these events with one look-up of their keys. */
  private async openEvents<E extends { type: string; data: JsonObject }>(events: readonly E[]): Promise<E[]> {
    const places: { event: number; field: string }[] = [];
    events.forEach((event, i) => {
      for (const field of this.rules.get(event.type)?.fields ?? [])
        if (isSealed(event.data[field])) places.push({ event: i, field });
    });
    if (!places.length) return [...events];
    const opened = await this.vault.open(places.map(({ event, field }) => events[event].data[field]));
    const result = events.map((event) => ({ ...event, data: { ...event.data } }));
    places.forEach(({ event, field }, i) => (result[event].data[field] = opened[i] ?? ERASED));
    return result;
  }

  /** Stored events of the sealed types are parsed, opened and written again; the rest pass as they are. */
  private async openStored(page: StoredEvent[]): Promise<StoredEvent[]> {
    const sealedTypes = page.map((event) => this.rules.has(event.type) && event.data.includes('"pd1.'));
    if (!sealedTypes.some(Boolean)) return page;
    const parsed = page.map((event, i) => (sealedTypes[i] ? { type: event.type, data: JSON.parse(event.data) } : null));
    const opened = await this.openEvents(parsed.filter((e): e is { type: string; data: JsonObject } => e !== null));
    let next = 0;
    return page.map((event, i) => (sealedTypes[i] ? { ...event, data: JSON.stringify(opened[next++].data) } : event));
  }
}
