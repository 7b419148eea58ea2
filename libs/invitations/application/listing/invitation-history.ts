import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type JsonObject, occurredAt } from '@app/event-store';
import type { Principal } from '@app/identity';
import { invitationStreams } from '../../domain/invitation-events';
import { withoutSecrets } from '../auditing/without-secrets';
import { InvitationAccess } from '../managing/invitation-access';

export interface HistoryEntry {
  id: string;
  type: string;
  revision: number;
  occurredAt: string;
  actor: unknown;
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
  ) {}

  async execute({ principal, invitationId }: InvitationHistory): Promise<{ events: HistoryEntry[] }> {
    await this.access.invitation(principal, invitationId);
    const events: HistoryEntry[] = [];
    for await (const e of this.store.readStream(invitationStreams.invitation(invitationId))) {
      events.push({
        id: e.id,
        type: e.type,
        revision: Number(e.revision),
        occurredAt: occurredAt(e),
        actor: e.metadata.actor ?? null,
        data: withoutSecrets(e.data),
      });
    }
    return { events };
  }
}
