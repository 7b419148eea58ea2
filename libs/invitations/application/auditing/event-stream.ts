import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type Position } from '@app/event-store';
import { ACCESS_TOKEN_SECONDS, DeploymentAccess, hasPermission, IdentityDirectory, type Operator } from '@app/identity';
import { InvitationError } from '../../domain/invitation-error';
import { ActorNames } from '../actor-names';
import { RecentNames } from './recent-names';
import { type FeedEntry, feedEntries } from './audit-entries';
import { type AuditFilter, checkDeployment, storeFilter } from './audit-filter';

/** How the live stream behaves: a comment this often when nothing happens, so many streams open per caller. */
export interface EventStreamSettings {
  heartbeatSeconds: number;
  maxPerClient: number;
}

export const EVENT_STREAM_SETTINGS = Symbol('EventStreamSettings');

/**
 * How often, at least, an open stream on a SQL store reads the log again for events another instance
 * wrote (its own instance's appends wake it at once): half the processors' interval, so a consumer
 * hears of another instance's event within about 100 ms, for one indexed read per interval per stream.
 */
const POLL_MS = 100;

/**
 * An open stream: its events from just after where it starts, live, until it ends: when `close` is
 * called, after a token's lifetime, or once its caller may no longer read it; `signal` aborts then.
 */
export interface OpenEventStream {
  events: AsyncIterable<FeedEntry>;
  signal: AbortSignal;
  close(): void;
}

/**
 * The log as it grows, for other services: the feed's events (same filters, same scope, nothing
 * secret), each with its position, from just after a position the caller names (the last one it
 * saw) or, when it names none, from now. It follows the store's own subscription: on KurrentDB the
 * server's catch-up subscription, on the SQL stores a read from the last position whenever this
 * instance appends and at least every POLL_MS (so events another instance writes arrive too).
 */
@Injectable()
export class EventStream {
  private readonly open = new Map<string, number>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_STREAM_SETTINGS) readonly settings: EventStreamSettings,
    private readonly names: ActorNames,
    private readonly access: DeploymentAccess,
    private readonly directory: IdentityDirectory,
  ) {}

  /**
   * Whether the caller who opened a stream may still read it, as their account stands now: not
   * revoked or deactivated, the same secret or password as their token, the permission and the
   * deployments they had. Anything else ends the stream; the client reconnects with what it has now.
   */
  private async stillAllowed(caller: Operator): Promise<boolean> {
    const now = await this.directory.principal(caller.kind, caller.id);
    if (!now || now.kind === 'patient' || now.credentialId !== caller.credentialId) return false;
    if (now.kind === 'staff' && !hasPermission(now, 'view_audit_log')) return false;
    const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
    return now.scope === caller.scope && same(now.deploymentIds, caller.deploymentIds);
  }

  /** Refusals come first, before any byte of the stream: a deployment not the caller's, a position not ours, too many streams. */
  async start(caller: Operator, filter: AuditFilter, after: string | undefined): Promise<OpenEventStream> {
    await checkDeployment(this.access, caller, filter);
    const from = after ?? (await this.store.headPosition());
    // An unknown position is refused now: reading one event from it checks it on every store.
    for await (const _ of this.store.readAll({ from, maxCount: 1 })) break;
    const held = this.open.get(caller.id) ?? 0;
    if (held >= this.settings.maxPerClient)
      throw new InvitationError('too_many_streams', `At most ${this.settings.maxPerClient} open streams per caller`);
    this.open.set(caller.id, held + 1);
    const stop = new AbortController();
    // A stream lasts no longer than a token (the client reconnects with a fresh one), and ends as soon
    // as its caller may no longer read it: checked at every heartbeat.
    const expiry = setTimeout(() => stop.abort(), ACCESS_TOKEN_SECONDS * 1000);
    const recheck = setInterval(() => {
      this.stillAllowed(caller).then(
        (allowed) => allowed || stop.abort(),
        () => stop.abort(),
      );
    }, this.settings.heartbeatSeconds * 1000);
    stop.signal.addEventListener('abort', () => {
      clearTimeout(expiry);
      clearInterval(recheck);
      const left = (this.open.get(caller.id) ?? 1) - 1;
      if (left) this.open.set(caller.id, left);
      else this.open.delete(caller.id);
    });
    return {
      events: this.follow(caller, filter, from, stop.signal),
      signal: stop.signal,
      close: () => stop.abort(),
    };
  }

  private async *follow(caller: Operator, filter: AuditFilter, from: Position, signal: AbortSignal) {
    const events = this.store.subscribeToAll({ from, filter: storeFilter(caller, filter), signal, pollMs: POLL_MS });
    const names = new RecentNames(this.names);
    for await (const event of events) yield (await feedEntries([event], names))[0];
  }
}
