import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type JsonObject, occurredAt } from '@app/event-store';
import type { Principal } from '@app/identity';
import { actorIdOf, invitationStreams } from '../../domain/invitation-events';
import { ActorNames } from '../actor-names';
import { withoutSecrets } from '../auditing/without-secrets';
import { InvitationAccess } from '../managing/invitation-access';

export interface HistoryEntry {
  id: string;
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

/** Read from the stream, so always current. Nonces are left out: history is for people, not links. */
@QueryHandler(InvitationHistory)
export class InvitationHistoryHandler implements IQueryHandler<InvitationHistory> {
  constructor(
    private readonly access: InvitationAccess,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly names: ActorNames,
  ) {}

  async execute({ principal, invitationId }: InvitationHistory): Promise<{ events: HistoryEntry[] }> {
    await this.access.invitation(principal, invitationId);
    const recorded = [];
    for await (const e of this.store.readStream(invitationStreams.invitation(invitationId))) recorded.push(e);
    const names = await this.names.of(recorded.map(actorIdOf));
    const events: HistoryEntry[] = recorded.map((e) => ({
      id: e.id,
      type: e.type,
      revision: Number(e.revision),
      occurredAt: occurredAt(e),
      actor: e.metadata.actor ? { ...(e.metadata.actor as object), name: names.get(actorIdOf(e)) ?? null } : null,
      data: withoutSecrets(e.data),
    }));
    return { events };
  }
}
