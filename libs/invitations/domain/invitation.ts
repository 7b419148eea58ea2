import type { DomainEvent, RecordedEvent } from '@app/event-store';
import type { ExpiryWindow } from './expiry-window';
import { InvitationError } from './invitation-error';
import { type Channel, InvitationEvents as E, type InvitationIssuedData } from './invitation-events';

export type InvitationStatus = 'pending' | 'expired' | 'redeemed' | 'revoked';

export interface Invitation {
  id: string;
  deploymentId: string;
  email: string;
  channel: Channel;
  linkId: string | null;
  status: InvitationStatus;
  issuedAt: string;
  issuedBy: string;
  expiresAt: string;
  expiresIn: string;
  nonce: string;
  previousNonces: string[];
  sendCount: number;
  lastSentAt: string;
  reminderDueFor: string | null;
  redeemedAt: string | null;
  revokedAt: string | null;
  patientId: string | null;
}

type Evolver = (state: Invitation | null, event: RecordedEvent) => Invitation | null;
/** The domain's own copy of event-envelope's occurredAt: the event-store index would bring Nest into the domain. */
const at = (event: RecordedEvent) =>
  typeof event.metadata.occurredAt === 'string' ? event.metadata.occurredAt : event.recordedAt.toISOString();
const on =
  (fn: (state: Invitation, data: Record<string, unknown>, event: RecordedEvent) => Invitation): Evolver =>
  (state, event) =>
    state && fn(state, event.data as Record<string, unknown>, event);

/** An explicit type → handler map: events rehydrated from JSON have no class to dispatch on. */
const evolvers: Record<string, Evolver> = {
  [E.InvitationIssued]: (_, event) => {
    const data = event.data as InvitationIssuedData;
    return {
      id: data.invitationId,
      deploymentId: data.deploymentId,
      email: data.email,
      channel: data.channel,
      linkId: data.linkId,
      status: 'pending',
      issuedAt: at(event),
      issuedBy: (event.metadata.actor as { id?: string } | undefined)?.id ?? '',
      expiresAt: data.expiresAt,
      expiresIn: data.expiresIn,
      nonce: data.nonce,
      previousNonces: [],
      sendCount: 1,
      lastSentAt: at(event),
      reminderDueFor: null,
      redeemedAt: null,
      revokedAt: null,
      patientId: null,
    };
  },
  [E.InvitationResent]: on((s, d, e) => ({
    ...s,
    status: 'pending',
    nonce: d.nonce as string,
    previousNonces: [...s.previousNonces, s.nonce],
    expiresAt: d.expiresAt as string,
    expiresIn: d.expiresIn as string,
    sendCount: s.sendCount + 1,
    lastSentAt: at(e),
  })),
  [E.InvitationEmailRequested]: on((s, _, e) => ({ ...s, sendCount: s.sendCount + 1, lastSentAt: at(e) })),
  [E.InvitationReminderDue]: on((s, d) => ({ ...s, reminderDueFor: d.forExpiresAt as string })),
  [E.InvitationRedeemed]: on((s, d, e) => ({
    ...s,
    status: 'redeemed',
    redeemedAt: at(e),
    patientId: d.patientId as string,
  })),
  [E.InvitationRevoked]: on((s, _, e) => ({ ...s, status: 'revoked', revokedAt: at(e) })),
  [E.InvitationExpired]: on((s) => ({ ...s, status: 'expired' })),
};

export function evolveInvitation(state: Invitation | null, event: RecordedEvent): Invitation | null {
  return (evolvers[event.type] ?? ((s) => s))(state, event);
}

/** What a reader should see now: a pending invitation past its expiry is expired even before the job marks it. */
export function effectiveStatus(invitation: Invitation, now: Date): InvitationStatus {
  return invitation.status === 'pending' && now.getTime() >= Date.parse(invitation.expiresAt)
    ? 'expired'
    : invitation.status;
}

export interface IssueInvitation {
  invitationId: string;
  deploymentId: string;
  email: string;
  channel: Channel;
  linkId: string | null;
  window: ExpiryWindow;
  /** Shareable-link sign-ups expire with the link, not a window from now. */
  expiresAt?: Date;
  nonce: string;
  now: Date;
}

export function issue(command: IssueInvitation): DomainEvent[] {
  const data: InvitationIssuedData = {
    invitationId: command.invitationId,
    deploymentId: command.deploymentId,
    email: command.email,
    channel: command.channel,
    linkId: command.linkId,
    expiresAt: (command.expiresAt ?? command.window.from(command.now)).toISOString(),
    expiresIn: command.window.name,
    nonce: command.nonce,
  };
  return [{ type: E.InvitationIssued, data }];
}

/** A fresh link and window; the old link stops working. Redeemed and revoked invitations stay as they are. */
export function resend(
  invitation: Invitation,
  window: ExpiryWindow,
  nonce: string,
  now: Date,
  expiresAt?: Date,
): DomainEvent[] {
  if (invitation.status === 'redeemed' || invitation.status === 'revoked') {
    throw new InvitationError('invitation_not_resendable', `A ${invitation.status} invitation cannot be resent`);
  }
  const expired = expire(invitation, now);
  const data = {
    invitationId: invitation.id,
    expiresAt: (expiresAt ?? window.from(now)).toISOString(),
    expiresIn: window.name,
    nonce,
  };
  return [...expired, { type: E.InvitationResent, data }];
}

/** Revoking twice is fine (nothing new happens); a redeemed invitation cannot be revoked. */
export function revoke(invitation: Invitation): DomainEvent[] {
  if (invitation.status === 'revoked') return [];
  if (invitation.status === 'redeemed')
    throw new InvitationError('invitation_already_redeemed', 'The invitation was already used');
  return [{ type: E.InvitationRevoked, data: { invitationId: invitation.id } }];
}

/** Only a pending invitation past its expiry expires; anything else is refused by returning nothing. */
export function expire(invitation: Invitation, now: Date): DomainEvent[] {
  if (invitation.status !== 'pending' || now.getTime() < Date.parse(invitation.expiresAt)) return [];
  return [{ type: E.InvitationExpired, data: { invitationId: invitation.id, expiresAt: invitation.expiresAt } }];
}

/**
 * Which token state wins, in API.md's order: already used, deleted, superseded, expired. `matched`
 * says whether the token matched the current nonce or an earlier one (a forgery never gets here).
 */
export function checkRedeemable(invitation: Invitation, matched: 'current' | 'previous', now: Date): void {
  if (invitation.status === 'redeemed')
    throw new InvitationError('invitation_already_redeemed', 'This invitation was already used');
  if (invitation.status === 'revoked') throw new InvitationError('invitation_revoked', 'This invitation was deleted');
  if (matched === 'previous')
    throw new InvitationError('invitation_superseded', 'A newer invitation replaced this link; use the latest email');
  if (effectiveStatus(invitation, now) === 'expired')
    throw new InvitationError('invitation_expired', 'This invitation has expired');
}

export function redeem(invitation: Invitation, patientId: string, now: Date): DomainEvent[] {
  checkRedeemable(invitation, 'current', now);
  return [{ type: E.InvitationRedeemed, data: { invitationId: invitation.id, patientId } }];
}

/** Once per expiry: a resend that moves the expiry allows one more. */
export function markReminderDue(invitation: Invitation, linkExpiresAt: string): DomainEvent[] {
  if (invitation.status !== 'pending' || invitation.reminderDueFor === linkExpiresAt) return [];
  return [
    {
      type: E.InvitationReminderDue,
      data: { invitationId: invitation.id, linkId: invitation.linkId, forExpiresAt: linkExpiresAt },
    },
  ];
}

export function requestEmailAgain(invitation: Invitation, reason: string): DomainEvent[] {
  if (invitation.status !== 'pending') return [];
  return [{ type: E.InvitationEmailRequested, data: { invitationId: invitation.id, reason } }];
}
