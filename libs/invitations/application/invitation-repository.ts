import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  type ConflictHandling,
  type Decision,
  type DomainEvent,
  type EventContext,
  EVENT_STORE,
  type EventStore,
  type ExpectedRevision,
  foldStream,
  handleCommand,
  type StreamAppend,
  toNewEvents,
} from '@app/event-store';
import { PersonalDataVault } from '@app/personal-data';
import { evolveInvitation, type Invitation } from '../domain/invitation';
import { addressKeyInput, InvitationEvents, invitationEventOf, invitationStreams } from '../domain/invitation-events';
import { evolveLink, type InvitationLink } from '../domain/invitation-link';

export interface Loaded<T> {
  state: T;
  revision: bigint;
}

/** Which invitation is live for an address in a deployment, and where and at which revision to reserve it. */
export interface AddressReservation {
  invitationId: string | null;
  stream: string;
  revision: ExpectedRevision;
}

/** Loads aggregates at a revision and turns decisions into appends at that revision. */
@Injectable()
export class InvitationRepository {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly vault: PersonalDataVault,
  ) {}

  /** `sealed`: the address left as stored (sealed), for a decision that does not look at it. */
  async invitation(id: string, { sealed = false } = {}): Promise<Loaded<Invitation> | null> {
    const { state, revision } = await foldStream<Invitation | null>(
      this.store,
      invitationStreams.invitation(id),
      null,
      evolveInvitation,
      { sealed },
    );
    return state && revision !== null ? { state, revision } : null;
  }

  async link(id: string): Promise<Loaded<InvitationLink> | null> {
    const { state, revision } = await foldStream<InvitationLink | null>(
      this.store,
      invitationStreams.link(id),
      null,
      evolveLink,
    );
    return state && revision !== null ? { state, revision } : null;
  }

  /**
   * The invitation live for each address in a deployment, and where to reserve it: the stream with the
   * keyed name, at the revision read. A reservation made before keyed names (on the plain-hash stream)
   * still counts until the keyed stream holds anything, which then decides.
   */
  async liveInvitations(deploymentId: string, emails: readonly string[]): Promise<Map<string, AddressReservation>> {
    const names = emails.map((email) => ({
      keyed: invitationStreams.address(this.vault.nameFor(addressKeyInput(deploymentId, email))),
      legacy: invitationStreams.legacyAddress(deploymentId, email),
    }));
    const heads = await this.store.streamHeads(names.flatMap(({ keyed, legacy }) => [keyed, legacy]));
    return new Map(
      emails.map((email, i) => {
        const { keyed, legacy } = names[i];
        const head = heads.get(keyed) ?? heads.get(legacy);
        const event = head ? invitationEventOf(head) : null;
        const live = event?.type === InvitationEvents.InvitationAddressReserved ? event.data.invitationId : null;
        const revision = heads.get(keyed)?.revision ?? 'no_stream';
        return [email, { invitationId: live, stream: keyed, revision }];
      }),
    );
  }

  append(
    stream: string,
    events: readonly DomainEvent[],
    expectedRevision: ExpectedRevision,
    context: EventContext,
    ids?: string[],
  ): StreamAppend {
    return { stream, events: toNewEvents(events, context, ids), expectedRevision };
  }

  /** The one way this context writes: load and decide inside `decide`, which runs again after a conflict. */
  handleCommand<R>(decide: () => Promise<Decision<R>>, handling?: ConflictHandling<R>): Promise<R> {
    return handleCommand(this.store, decide, handling);
  }
}

/** 128 random bits: rotating it kills every earlier link built on the old one. */
export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}
