import { type DomainEvent, occurredAt as at, type RecordedEvent } from '@app/event-store';
import { EMAIL_AGAIN_AFTER_MS } from './invitation';
import { type ExpiryWindow, isPast } from './expiry-window';
import { InvitationError } from './invitation-error';
import {
  actorIdOf,
  InvitationEvents as E,
  type InvitationEvent,
  invitationEventOf,
  type InvitationLinkGeneratedData,
} from './invitation-events';

export type LinkStatus = 'active' | 'expired' | 'revoked';

/** A deployment's shareable sign-up link. */
export interface InvitationLink {
  id: string;
  deploymentId: string;
  status: LinkStatus;
  expiresAt: string;
  expiresIn: string;
  nonce: string;
  generatedBy: string;
  /** When each address last had an existing-account notice through this link. */
  noticesSentAt: Record<string, string>;
}

export function evolveLink(state: InvitationLink | null, recorded: RecordedEvent): InvitationLink | null {
  const event = invitationEventOf(recorded);
  switch (event?.type) {
    case E.InvitationLinkGenerated:
      return {
        id: event.data.linkId,
        deploymentId: event.data.deploymentId,
        status: 'active',
        expiresAt: event.data.expiresAt,
        expiresIn: event.data.expiresIn,
        nonce: event.data.nonce,
        generatedBy: actorIdOf(event),
        noticesSentAt: {},
      };
    case E.ExistingAccountNoticeRequested:
      return state && { ...state, noticesSentAt: { ...state.noticesSentAt, [event.data.email]: at(recorded) } };
    case E.InvitationLinkRevoked:
      return state && { ...state, status: 'revoked' };
    case E.InvitationLinkExpired:
      return state && { ...state, status: 'expired' };
    default:
      return state;
  }
}

export function effectiveLinkStatus(link: Pick<InvitationLink, 'status' | 'expiresAt'>, now: Date): LinkStatus {
  return link.status === 'active' && isPast(link.expiresAt, now) ? 'expired' : link.status;
}

export function generateLink(
  linkId: string,
  deploymentId: string,
  window: ExpiryWindow,
  nonce: string,
  now: Date,
): [DomainEvent<'InvitationLinkGenerated', InvitationLinkGeneratedData>] {
  const data = { linkId, deploymentId, expiresAt: window.from(now).toISOString(), expiresIn: window.name, nonce };
  return [{ type: E.InvitationLinkGenerated, data }];
}

export function revokeLink(link: InvitationLink): InvitationEvent[] {
  return link.status === 'revoked' ? [] : [{ type: E.InvitationLinkRevoked, data: { linkId: link.id } }];
}

export function expireLink(link: InvitationLink, now: Date): InvitationEvent[] {
  if (link.status !== 'active' || effectiveLinkStatus(link, now) !== 'expired') return [];
  return [{ type: E.InvitationLinkExpired, data: { linkId: link.id, expiresAt: link.expiresAt } }];
}

/** A sign-up needs a live link: revoked first, then expired (API.md). */
export function checkLinkOpen(link: InvitationLink, now: Date): void {
  if (link.status === 'revoked') throw new InvitationError('link_revoked', 'This sign-up link was withdrawn');
  if (effectiveLinkStatus(link, now) === 'expired')
    throw new InvitationError('link_expired', 'This sign-up link has expired');
}

/** Someone signed up through the link with an address that has an account: they get a notice, not an invitation. */
export function requestExistingAccountNotice(link: InvitationLink, email: string, now: Date): InvitationEvent[] {
  const last = link.noticesSentAt[email];
  if (last && now.getTime() - Date.parse(last) < EMAIL_AGAIN_AFTER_MS) return [];
  return [
    { type: E.ExistingAccountNoticeRequested, data: { linkId: link.id, deploymentId: link.deploymentId, email } },
  ];
}
