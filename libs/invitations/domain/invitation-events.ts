import { createHash } from 'node:crypto';
import type { JsonObject } from '@app/event-store';

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

export const invitationStreams = {
  invitation: (id: string) => `invitation-${id}`,
  link: (id: string) => `invitationLink-${id}`,
  /**
   * One per (deployment, address): which invitation is live for it. Issuing appends to it at the
   * revision that was read, in the same atomic write as the invitation, so two concurrent issues
   * for one address cannot both win, on any store.
   */
  address: (deploymentId: string, email: string) =>
    `invitationAddress-${createHash('sha256').update(`${deploymentId}\u0000${email}`).digest('hex').slice(0, 40)}`,
};
