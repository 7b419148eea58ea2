import type { InvitationEvent } from './invitation-events';

/**
 * One live invitation per address and deployment: the address stream's head names it. Reserving
 * at the revision read makes two requests for one address conflict instead of both issuing.
 */
export function reserveAddress(invitationId: string, deploymentId: string): InvitationEvent[] {
  return [{ type: 'InvitationAddressReserved', data: { invitationId, deploymentId } }];
}

/** The address may be invited again (the invitation was revoked). */
export function releaseAddress(invitationId: string, reason: 'revoked'): InvitationEvent[] {
  return [{ type: 'InvitationAddressReleased', data: { invitationId, reason } }];
}
