import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type JsonObject, occurredAt, type RecordedEvent } from '@app/event-store';
import type { Principal } from '@app/identity';
import { actorIdOf, InvitationEvents, invitationStreams } from '../../domain/invitation-events';
import { ActorNames } from '../actor-names';
import { withoutSecrets } from '../auditing/without-secrets';
import { InvitationAccess } from '../managing/invitation-access';

export interface HistoryEntry {
  id: string;
  /** The invitation's own stream, or `mail-<id>` for what became of an email it asked for. */
  stream: string;
  type: string;
  revision: number;
  occurredAt: string;
  actor: { type?: unknown; id?: unknown; name: string | null } | null;
  data: JsonObject;
}

export class InvitationHistory extends Query<{ events: HistoryEntry[] }> {
  constructor(
    readonly principal: Principal,
    readonly invitationId: string,
  ) {
    super();
  }
}

/** The invitation's events that ask for an email: each one's id names the stream its delivery is recorded on. */
const ASKS_FOR_EMAIL: ReadonlySet<string> = new Set([
  InvitationEvents.InvitationIssued,
  InvitationEvents.InvitationResent,
  InvitationEvents.InvitationEmailRequested,
  InvitationEvents.InvitationReminderDue,
]);

/**
 * Read from the streams, so always current: the invitation's, and after each event that asked for an
 * email what became of it (sent, failed, bounced, reported as spam), in log order. Nonces are left
 * out: history is for people, not links.
 */
@QueryHandler(InvitationHistory)
export class InvitationHistoryHandler implements IQueryHandler<InvitationHistory> {
  constructor(
    private readonly access: InvitationAccess,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly names: ActorNames,
  ) {}

  async execute({ principal, invitationId }: InvitationHistory): Promise<{ events: HistoryEntry[] }> {
    await this.access.invitation(principal, invitationId);
    const recorded = await this.read(invitationStreams.invitation(invitationId));
    for (const asked of recorded.filter((e) => ASKS_FOR_EMAIL.has(e.type)))
      recorded.push(...(await this.read(`mail-${asked.id}`)));
    const names = await this.names.of(recorded.map(actorIdOf));
    // Positions compare as strings in commit order, on every store: the log's own order.
    const inLogOrder = recorded.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
    const events: HistoryEntry[] = inLogOrder.map((e) => ({
      id: e.id,
      stream: e.streamId,
      type: e.type,
      revision: Number(e.revision),
      occurredAt: occurredAt(e),
      actor: e.metadata.actor ? { ...(e.metadata.actor as object), name: names.get(actorIdOf(e)) ?? null } : null,
      data: withoutSecrets(e.data),
    }));
    return { events };
  }

  private async read(stream: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const e of this.store.readStream(stream)) events.push(e);
    return events;
  }
}
