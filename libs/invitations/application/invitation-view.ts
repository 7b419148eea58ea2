import { effectiveStatus, type Invitation } from '../domain/invitation';

export const EMAIL_STATUSES = ['queued', 'sent', 'failed', 'complained'] as const;
/** `complained`: delivered, and the recipient reported it as spam. */
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** API.md's Invitation. */
export interface InvitationView {
  id: string;
  deploymentId: string;
  email: string;
  status: Invitation['status'];
  channel: Invitation['channel'];
  linkId?: string;
  issuedAt: string;
  issuedBy: string;
  expiresAt: string;
  expiresIn: string;
  sendCount: number;
  lastSentAt: string;
  emailStatus: EmailStatus;
  /** Why the latest email failed, in words (the provider's answer); only when it failed or was reported. */
  emailFailure?: string;
  redeemedAt?: string;
  revokedAt?: string;
  /** Lists and look-ups: the issuer's name from the staff directory, when it has one. */
  issuedByName?: string | null;
}

/** What a view is made of: the aggregate has it, and so has a row of the invitation list. */
export type InvitationFacts = Pick<
  Invitation,
  | 'id'
  | 'deploymentId'
  | 'email'
  | 'status'
  | 'channel'
  | 'linkId'
  | 'issuedAt'
  | 'issuedBy'
  | 'expiresAt'
  | 'expiresIn'
  | 'sendCount'
  | 'lastSentAt'
  | 'redeemedAt'
  | 'revokedAt'
>;

/** The one mapping to API.md's Invitation, with the status a reader sees now. */
export function invitationView(
  invitation: InvitationFacts,
  now: Date,
  emailStatus: EmailStatus = 'queued',
  emailFailure: string | null = null,
): InvitationView {
  return {
    id: invitation.id,
    deploymentId: invitation.deploymentId,
    email: invitation.email,
    status: effectiveStatus(invitation, now),
    channel: invitation.channel,
    ...(invitation.linkId ? { linkId: invitation.linkId } : {}),
    issuedAt: invitation.issuedAt,
    issuedBy: invitation.issuedBy,
    expiresAt: invitation.expiresAt,
    expiresIn: invitation.expiresIn,
    sendCount: invitation.sendCount,
    lastSentAt: invitation.lastSentAt,
    emailStatus,
    ...(emailFailure ? { emailFailure } : {}),
    ...(invitation.redeemedAt ? { redeemedAt: invitation.redeemedAt } : {}),
    ...(invitation.revokedAt ? { revokedAt: invitation.revokedAt } : {}),
  };
}
