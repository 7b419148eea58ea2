import { Metadata, status as grpcStatus } from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { convertToCommandError } from '@kurrent/kurrentdb-client/dist/utils';
import { Status } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb';
import type { KurrentClient } from '../eventstoredb-event-store';
import type { EsdbRecordedEvent } from '../eventstoredb-mapping';

/**
 * A stand-in for a KurrentDB node, for unit tests of the adapter where no server can run (README).
 * It keeps streams and a log in memory with the server's append rules as far as the adapter relies
 * on them (expected states, per-stream idempotency of exact and no_stream appends, one position per
 * multi-stream transaction), and lets a test fail a call the way the real client fails it: errors
 * come from the client's own conversion of gRPC errors. It is not the server: the contract suite
 * against a real one (EVENTSTORE_URL) is what proves the adapter.
 */
interface StoredEvent extends EsdbRecordedEvent {
  position: { commit: bigint; prepare: bigint };
  isJson: true;
}

type Fault = {
  error: unknown;
  /** the write happens before the error is thrown (a commit whose answer was lost) */ afterWrite?: boolean;
};

export class ScriptedKurrent {
  readonly streams = new Map<string, StoredEvent[]>();
  readonly log: StoredEvent[] = [];
  readonly calls: string[] = [];
  readonly faults: Partial<Record<'appendToStream' | 'multiStreamAppend', Fault[]>> = {};
  private next = 1000n;
  private readonly listeners = new Set<() => void>();
  private readonly drops = new Set<(error: Error) => void>();

  /** Every open subscription fails, as on a leader change; subscribers must open a new one. */
  dropSubscriptions(): void {
    for (const drop of this.drops) drop(new Error('subscription dropped: leader changed'));
  }

  /** Events the server keeps in $ streams (projections), interleaved into $all as on a real node. */
  systemEvent(streamId: string, type = 'SomethingProjected'): void {
    this.push({ streamId, id: crypto.randomUUID(), type, data: {}, metadata: {} }, 0n);
  }

  client(): KurrentClient {
    // The client is a plain object whose methods act on this node, as the real client's act on a server.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const server = this;
    return {
      async appendToStream(stream: string, events: unknown, options?: { streamState?: unknown }) {
        server.calls.push('appendToStream');
        return server
          .faulty('appendToStream', () =>
            server.append([{ streamName: stream, events: events as never, expectedState: options?.streamState }]),
          )
          .then((r) => {
            const last = server.streams.get(stream)!.at(-1)!;
            return {
              success: true,
              nextExpectedRevision: r.responses[0].revision,
              position: r.idempotent ? undefined : last.position,
            };
          });
      },
      async multiStreamAppend(requests: unknown) {
        server.calls.push('multiStreamAppend');
        return server
          .faulty('multiStreamAppend', () => server.append(requests as never))
          .then(({ position, responses }) => ({ position, responses }));
      },
      readStream(stream: string, options?: { fromRevision?: unknown; direction?: string; maxCount?: number | bigint }) {
        const events = [...(server.streams.get(stream) ?? [])];
        if (!server.streams.has(stream))
          return failing(Object.assign(new Error(`${stream} not found`), { type: 'stream-not-found' }));
        const backwards = options?.direction === 'backwards';
        const ordered = backwards ? events.reverse() : events;
        const from = typeof options?.fromRevision === 'bigint' ? options.fromRevision : undefined;
        const picked = ordered.filter(
          (e) => from === undefined || (backwards ? e.revision <= from : e.revision >= from),
        );
        return iterate(picked.slice(0, Number(options?.maxCount ?? picked.length)).map((event) => ({ event })));
      },
      readAll(options?: {
        fromPosition?: unknown;
        direction?: string;
        maxCount?: number | bigint;
        filter?: { regex?: string; prefixes?: string[] };
      }) {
        const backwards = options?.direction === 'backwards';
        const from =
          typeof options?.fromPosition === 'object'
            ? (options.fromPosition as { commit: bigint; prepare: bigint })
            : null;
        // Inclusive of `from`, as the server is.
        const inRange = (e: StoredEvent) =>
          !from || (backwards ? compare(e.position, from) <= 0 : compare(e.position, from) >= 0);
        const ordered = backwards ? [...server.log].reverse() : [...server.log];
        const picked = ordered.filter((e) => inRange(e) && matchesFilter(e.streamId, options?.filter));
        return iterate(picked.slice(0, Number(options?.maxCount ?? picked.length)).map((event) => ({ event })));
      },
      subscribeToAll(options?: { fromPosition?: unknown; filter?: { regex?: string; prefixes?: string[] } }) {
        const from =
          typeof options?.fromPosition === 'object'
            ? (options.fromPosition as { commit: bigint; prepare: bigint })
            : null;
        // Exclusive of `from`, as the server is.
        const start = from ? server.log.findIndex((e) => compare(e.position, from) > 0) : 0;
        return server.subscription(options?.filter, start === -1 ? server.log.length : start);
      },
      async dispose() {
        server.calls.push('dispose');
      },
    } as unknown as KurrentClient;
  }

  /** The next call of `method` fails with `error`; with `afterWrite`, after the write went through. */
  failNext(method: 'appendToStream' | 'multiStreamAppend', error: unknown, afterWrite = false): void {
    (this.faults[method] ??= []).push({ error, afterWrite });
  }

  private async faulty<T>(method: 'appendToStream' | 'multiStreamAppend', write: () => T): Promise<T> {
    const fault = this.faults[method]?.shift();
    if (fault && !fault.afterWrite) throw fault.error;
    const result = write();
    if (fault) throw fault.error;
    return result;
  }

  private append(
    requests: {
      streamName: string;
      events: { id: string; type: string; data: unknown; metadata: unknown }[];
      expectedState: unknown;
    }[],
  ) {
    // Idempotent repeat: the same ids already at the place the expectation names.
    const repeats = requests.map(({ streamName, events, expectedState }) => {
      const stored = this.streams.get(streamName) ?? [];
      const at = stored.findIndex((e) => e.id === events[0].id);
      if (at === -1) return null;
      const expectedAt =
        expectedState === 'no_stream' ? 0 : typeof expectedState === 'bigint' ? Number(expectedState) + 1 : at;
      return at === expectedAt && events.every((e, i) => stored[at + i]?.id === e.id)
        ? stored[at + events.length - 1].revision
        : null;
    });
    if (repeats.every((r) => r !== null)) {
      return {
        position: 0n,
        idempotent: true,
        responses: requests.map((r, i) => ({ streamName: r.streamName, revision: repeats[i]! })),
      };
    }
    for (const { streamName, expectedState } of requests) {
      const current = this.streams.get(streamName);
      const revision = current ? BigInt(current.length - 1) : null;
      const ok =
        expectedState === 'any' ||
        expectedState === undefined ||
        (expectedState === 'no_stream' && revision === null) ||
        (expectedState === 'stream_exists' && revision !== null) ||
        (typeof expectedState === 'bigint' && revision === expectedState);
      if (!ok) throw wrongExpectedVersion(streamName, expectedState, revision);
    }
    const commit = this.next;
    const responses = requests.map(({ streamName, events }) => {
      for (const e of events)
        this.push({ streamId: streamName, id: e.id, type: e.type, data: e.data, metadata: e.metadata }, commit);
      return { streamName, revision: BigInt(this.streams.get(streamName)!.length - 1) };
    });
    for (const wake of this.listeners) wake();
    return { position: commit, idempotent: false, responses };
  }

  private push(
    e: { streamId: string; id: string; type: string; data: unknown; metadata: unknown },
    commit: bigint,
  ): void {
    const stream = this.streams.get(e.streamId) ?? [];
    this.streams.set(e.streamId, stream);
    const position = { commit: commit || this.next, prepare: this.next };
    this.next += 100n;
    const stored: StoredEvent = { ...e, revision: BigInt(stream.length), created: new Date(), position, isJson: true };
    stream.push(stored);
    this.log.push(stored);
  }

  private subscription(filter: { regex?: string; prefixes?: string[] } | undefined, start: number) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const server = this;
    let seen = start;
    let stopped = false;
    let dropped: Error | null = null;
    let wake: (() => void) | null = null;
    const listener = () => wake?.();
    const drop = (error: Error) => {
      dropped = error;
      wake?.();
    };
    server.listeners.add(listener);
    server.drops.add(drop);
    const close = () => {
      stopped = true;
      server.listeners.delete(listener);
      server.drops.delete(drop);
      wake?.();
    };
    return {
      async unsubscribe() {
        close();
      },
      async *[Symbol.asyncIterator]() {
        while (!stopped) {
          while (seen < server.log.length) {
            const event = server.log[seen++];
            if (matchesFilter(event.streamId, filter)) yield { event };
          }
          if (dropped) {
            close();
            throw dropped;
          }
          if (stopped) return;
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
    };
  }
}

function compare(a: { commit: bigint; prepare: bigint }, b: { commit: bigint; prepare: bigint }): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  return a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;
}

function matchesFilter(streamId: string, filter?: { regex?: string; prefixes?: string[] }): boolean {
  if (filter?.regex) return new RegExp(filter.regex).test(streamId);
  if (filter?.prefixes) return filter.prefixes.some((p) => streamId.startsWith(p));
  return true;
}

async function* iterate<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

function failing(error: Error): AsyncIterable<never> {
  return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }) };
}

/** A gRPC error as the server sends it, converted by the client exactly as it converts real ones. */
export function clientError(code: grpcStatus, message: string, detailsTypeUrl?: string): unknown {
  const metadata = new Metadata();
  if (detailsTypeUrl) {
    const details = new Any();
    details.setTypeUrl(detailsTypeUrl);
    details.setValue(new Uint8Array());
    const status = new Status();
    status.setCode(code as never);
    status.setMessage(message);
    status.setDetails(details);
    metadata.set('grpc-status-details-bin', Buffer.from(status.serializeBinary()));
  }
  return convertToCommandError(
    Object.assign(new Error(`${code} ${grpcStatus[code]}: ${message}`), { code, details: message, metadata }) as never,
  );
}

export const NOT_LEADER_DETAILS = 'type.googleapis.com/kurrent.rpc.NotLeaderNodeErrorDetails';

function wrongExpectedVersion(streamName: string, expected: unknown, actual: bigint | null): unknown {
  return Object.assign(new Error(`Wrong expected version for ${streamName}`), {
    type: 'wrong-expected-version',
    streamName,
    expectedState: expected,
    actualState: actual ?? 'no_stream',
  });
}
