import { occurredAt as at, type RecordedEvent } from '@app/event-store';
import { type ExpiryWindow, isPast } from './expiry-window';
import { InvitationError } from './invitation-error';
import {
  actorIdOf,
  type Channel,
  InvitationEvents as E,
  type InvitationIssuedData,
  type InvitationEvent,
  invitationEventOf,
} from './invitation-events';

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
  /** Retention removed its personal data (the address reads as erased). */
  personalDataRemoved: boolean;
}

/** Folds one event into the invitation; events of other types (and of other contexts) leave it as it is. */
export function evolveInvitation(state: Invitation | null, recorded: RecordedEvent): Invitation | null {
  const event = invitationEventOf(recorded);
  if (!event) return state;
  if (event.type === E.InvitationIssued) {
    const data = event.data;
    return {
      id: data.invitationId,
      deploymentId: data.deploymentId,
      email: data.email,
      channel: data.channel,
      linkId: data.linkId,
      status: 'pending',
      issuedAt: at(event),
      issuedBy: actorIdOf(event),
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
      personalDataRemoved: false,
    };
  }
  if (!state) return state;
  switch (event.type) {
    case E.InvitationResent:
      return {
        ...state,
        status: 'pending',
        nonce: event.data.nonce,
        previousNonces: [...state.previousNonces, state.nonce],
        expiresAt: event.data.expiresAt,
        expiresIn: event.data.expiresIn,
        sendCount: state.sendCount + 1,
        lastSentAt: at(event),
      };
    case E.InvitationEmailRequested:
      return { ...state, sendCount: state.sendCount + 1, lastSentAt: at(event) };
    case E.InvitationReminderDue:
      return { ...state, reminderDueFor: event.data.forExpiresAt };
    case E.InvitationRedeemed:
      return { ...state, status: 'redeemed', redeemedAt: at(event), patientId: event.data.patientId };
    case E.InvitationRevoked:
      return { ...state, status: 'revoked', revokedAt: at(event) };
    case E.InvitationExpired:
      return { ...state, status: 'expired' };
    case E.InvitationPersonalDataRemoved:
      return { ...state, personalDataRemoved: true };
    default:
      return state;
  }
}

/**
 * The rule readers see: a pending invitation past its expiry counts as expired, before the job
 * marks it. The read model states it in SQL once (invitation-list.query's STATUS_CLAUSES).
 */
export function effectiveStatus(invitation: Pick<Invitation, 'status' | 'expiresAt'>, now: Date): InvitationStatus {
  return invitation.status === 'pending' && isPast(invitation.expiresAt, now) ? 'expired' : invitation.status;
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

export function issue(command: IssueInvitation): InvitationEvent[] {
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
): InvitationEvent[] {
  if (invitation.status === 'redeemed' || invitation.status === 'revoked') {
    throw new InvitationError('invitation_not_resendable', `A ${invitation.status} invitation cannot be resent`);
  }
  if (invitation.personalDataRemoved)
    throw new InvitationError(
      'invitation_not_resendable',
      'This invitation no longer holds an address (removed under the retention policy); invite the patient again',
    );
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
export function revoke(invitation: Invitation): InvitationEvent[] {
  if (invitation.status === 'revoked') return [];
  if (invitation.status === 'redeemed')
    throw new InvitationError('invitation_already_redeemed', 'The invitation was already used');
  return [{ type: E.InvitationRevoked, data: { invitationId: invitation.id } }];
}

/** Only a pending invitation past its expiry expires; anything else is refused by returning nothing. */
export function expire(invitation: Invitation, now: Date): InvitationEvent[] {
  if (invitation.status !== 'pending' || effectiveStatus(invitation, now) !== 'expired') return [];
  return [{ type: E.InvitationExpired, data: { invitationId: invitation.id, expiresAt: invitation.expiresAt } }];
}

/**
 * Which token state wins, in API.md's order: already used, deleted, superseded, expired. `matched`
 * says whether the token matched the current nonce or an earlier one (a forgery never gets here).
 */
const DAY_MS = 24 * 3600 * 1000;

/**
 * Retention: an invitation that ended (redeemed, revoked, or expired, counted from when it did) at
 * least `retentionDays` ago gives up its personal data, once.
 */
export function removePersonalData(invitation: Invitation, retentionDays: number, now: Date): InvitationEvent[] {
  if (invitation.personalDataRemoved) return [];
  const status = effectiveStatus(invitation, now);
  const endedAt =
    status === 'redeemed'
      ? invitation.redeemedAt
      : status === 'revoked'
        ? invitation.revokedAt
        : status === 'expired'
          ? invitation.expiresAt
          : null;
  if (status === 'pending' || !endedAt || now.getTime() < Date.parse(endedAt) + retentionDays * DAY_MS) return [];
  return [
    {
      type: E.InvitationPersonalDataRemoved,
      data: {
        invitationId: invitation.id,
        deploymentId: invitation.deploymentId,
        endedAs: status,
        endedAt,
        retentionDays,
      },
    },
  ];
}

export function checkRedeemable(invitation: Invitation, matched: 'current' | 'previous', now: Date): void {
  if (invitation.status === 'redeemed')
    throw new InvitationError('invitation_already_redeemed', 'This invitation was already used');
  if (invitation.status === 'revoked') throw new InvitationError('invitation_revoked', 'This invitation was deleted');
  if (matched === 'previous')
    throw new InvitationError('invitation_superseded', 'A newer invitation replaced this link; use the latest email');
  if (effectiveStatus(invitation, now) === 'expired')
    throw new InvitationError('invitation_expired', 'This invitation has expired');
}

export function redeem(invitation: Invitation, patientId: string, now: Date): InvitationEvent[] {
  checkRedeemable(invitation, 'current', now);
  return [{ type: E.InvitationRedeemed, data: { invitationId: invitation.id, patientId } }];
}

/** Once per expiry: a resend that moves the expiry allows one more. */
export function markReminderDue(invitation: Invitation, forExpiresAt: string): InvitationEvent[] {
  if (invitation.status !== 'pending' || invitation.reminderDueFor === forExpiresAt) return [];
  return [
    {
      type: E.InvitationReminderDue,
      data: { invitationId: invitation.id, linkId: invitation.linkId, forExpiresAt },
    },
  ];
}

/** At most one email to an address per ten minutes from a public sign-up: the answer stays the same. */
export const EMAIL_AGAIN_AFTER_MS = 10 * 60 * 1000;

/** The same link again, while pending, and not sooner than ten minutes after the last email. */
export function requestEmailAgain(invitation: Invitation, reason: string, now: Date): InvitationEvent[] {
  if (invitation.status !== 'pending') return [];
  if (now.getTime() - Date.parse(invitation.lastSentAt) < EMAIL_AGAIN_AFTER_MS) return [];
  return [{ type: E.InvitationEmailRequested, data: { invitationId: invitation.id, reason } }];
}
