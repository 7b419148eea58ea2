import { createHash } from 'node:crypto';
import type { DomainEvent, JsonObject, RecordedEvent } from '@app/event-store';

/** Event types of the invitations context: a public contract, versioned by schemaVersion. */
export const InvitationEvents = {
  InvitationIssued: 'InvitationIssued',
  InvitationResent: 'InvitationResent',
  InvitationEmailRequested: 'InvitationEmailRequested',
  InvitationReminderDue: 'InvitationReminderDue',
  InvitationRedeemed: 'InvitationRedeemed',
  InvitationRevoked: 'InvitationRevoked',
  InvitationExpired: 'InvitationExpired',
  InvitationAddressReserved: 'InvitationAddressReserved',
  InvitationAddressReleased: 'InvitationAddressReleased',
  InvitationLinkGenerated: 'InvitationLinkGenerated',
  InvitationLinkRevoked: 'InvitationLinkRevoked',
  InvitationLinkExpired: 'InvitationLinkExpired',
  ExistingAccountNoticeRequested: 'ExistingAccountNoticeRequested',
  InvitationPersonalDataRemoved: 'InvitationPersonalDataRemoved',
} as const;

export type Channel = 'email' | 'link';

export interface InvitationIssuedData extends JsonObject {
  invitationId: string;
  deploymentId: string;
  email: string;
  channel: Channel;
  linkId: string | null;
  expiresAt: string;
  expiresIn: string;
  nonce: string;
}

export interface InvitationResentData extends JsonObject {
  invitationId: string;
  expiresAt: string;
  expiresIn: string;
  nonce: string;
}

export interface InvitationEmailRequestedData extends JsonObject {
  invitationId: string;
  reason: string;
}

export interface InvitationReminderDueData extends JsonObject {
  invitationId: string;
  linkId: string | null;
  forExpiresAt: string;
}

export interface InvitationRedeemedData extends JsonObject {
  invitationId: string;
  patientId: string;
}

export interface InvitationRevokedData extends JsonObject {
  invitationId: string;
}

export interface InvitationExpiredData extends JsonObject {
  invitationId: string;
  expiresAt: string;
}

/**
 * Retention: the invitation ended (`endedAs`, at `endedAt`) longer ago than its deployment keeps
 * personal data (`retentionDays`); its copy of the patient's address is shredded. Holds no personal data.
 */
export interface InvitationPersonalDataRemovedData extends JsonObject {
  invitationId: string;
  deploymentId: string;
  endedAs: 'redeemed' | 'revoked' | 'expired';
  endedAt: string;
  retentionDays: number;
}

export interface InvitationAddressReservedData extends JsonObject {
  invitationId: string;
  deploymentId: string;
}

export interface InvitationAddressReleasedData extends JsonObject {
  invitationId: string;
  reason: string;
}

export interface InvitationLinkGeneratedData extends JsonObject {
  linkId: string;
  deploymentId: string;
  expiresAt: string;
  expiresIn: string;
  nonce: string;
}

export interface InvitationLinkRevokedData extends JsonObject {
  linkId: string;
}

export interface InvitationLinkExpiredData extends JsonObject {
  linkId: string;
  expiresAt: string;
}

export interface ExistingAccountNoticeRequestedData extends JsonObject {
  linkId: string;
  deploymentId: string;
  email: string;
}

/** Every event of this context, each type with its data: evolvers and projections switch on it. */
export type InvitationEvent =
  | DomainEvent<'InvitationIssued', InvitationIssuedData>
  | DomainEvent<'InvitationResent', InvitationResentData>
  | DomainEvent<'InvitationEmailRequested', InvitationEmailRequestedData>
  | DomainEvent<'InvitationReminderDue', InvitationReminderDueData>
  | DomainEvent<'InvitationRedeemed', InvitationRedeemedData>
  | DomainEvent<'InvitationRevoked', InvitationRevokedData>
  | DomainEvent<'InvitationExpired', InvitationExpiredData>
  | DomainEvent<'InvitationAddressReserved', InvitationAddressReservedData>
  | DomainEvent<'InvitationAddressReleased', InvitationAddressReleasedData>
  | DomainEvent<'InvitationLinkGenerated', InvitationLinkGeneratedData>
  | DomainEvent<'InvitationLinkRevoked', InvitationLinkRevokedData>
  | DomainEvent<'InvitationLinkExpired', InvitationLinkExpiredData>
  | DomainEvent<'ExistingAccountNoticeRequested', ExistingAccountNoticeRequestedData>
  | DomainEvent<'InvitationPersonalDataRemoved', InvitationPersonalDataRemovedData>;

/** A stored event of this context, typed, with what the store adds (when, by whom). */
export type RecordedInvitationEvent = InvitationEvent & Omit<RecordedEvent, 'type' | 'data'>;

const TYPES = new Set<string>(Object.values(InvitationEvents));

/**
 * The one place a stored event is taken at its type: the store gives back what this context wrote,
 * brought to the newest shape by the upcasters. Events of other contexts are null.
 */
export function invitationEventOf(event: RecordedEvent): RecordedInvitationEvent | null {
  return TYPES.has(event.type) ? (event as unknown as RecordedInvitationEvent) : null;
}

/** Who did it, as the event's metadata records it. */
export function actorIdOf(event: Pick<RecordedEvent, 'metadata'>): string {
  const actor = event.metadata.actor;
  return actor && typeof actor === 'object' && !Array.isArray(actor) && typeof actor.id === 'string' ? actor.id : '';
}

/**
 * The key scope an invitation's copy of the address is sealed in: retention shreds it alone, erasing
 * the person shreds it with the rest.
 */
export const invitationDataScope = (invitationId: string) => `invitation-${invitationId}`;

export const invitationStreams = {
  invitation: (id: string) => `invitation-${id}`,
  link: (id: string) => `invitationLink-${id}`,
  /**
   * One per (deployment, address): which invitation is live for it. Issuing appends to it at the
   * revision that was read, in the same atomic write as the invitation, so two concurrent issues
   * for one address cannot both win, on any store. Named by a keyed HMAC of the pair
   * (`addressKeyInput`, keyed by the personal-data secret), never the address or a plain hash of it.
   */
  address: (addressKey: string) => `invitationAddress-${addressKey.slice(0, 40)}`,
  /** The name such a stream had before keyed names: read (never written) for reservations made then. */
  legacyAddress: (deploymentId: string, email: string) =>
    `invitationAddress-${createHash('sha256').update(addressKeyInput(deploymentId, email)).digest('hex').slice(0, 40)}`,
};

/** What the address stream's keyed name is computed from: the deployment and the address. */
export function addressKeyInput(deploymentId: string, email: string): string {
  return `${deploymentId}\u0000${email}`;
}
