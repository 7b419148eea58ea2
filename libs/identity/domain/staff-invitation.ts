import { EXPIRY_WINDOWS, type ExpiryWindowName } from '@app/link-tokens';
import { checkGrant } from './grant-rules';
import { IdentityError } from './identity-error';
import { identityEventOf, type IdentityEvent, type StaffInvitedData } from './identity-events';
import type { RecordedEvent } from '@app/event-store';
import type { NewStream } from './new-streams';
import type { StaffPrincipal } from './principal';
import type { RoleDefinition } from './roles';
import { staffAccountStreams } from './staff-account';

export interface StaffInvitation extends StaffInvitedData {
  acceptedBy: string | null;
}

export function evolveStaffInvitation(state: StaffInvitation | null, recorded: RecordedEvent): StaffInvitation | null {
  const event = identityEventOf(recorded);
  if (event?.type === 'StaffInvited') return { ...event.data, acceptedBy: null };
  if (event?.type === 'StaffInvitationAccepted') return state && { ...state, acceptedBy: event.data.staffId };
  return state;
}

export interface StaffInvitationRequest {
  invitationId: string;
  email: string;
  name: string | null;
  role: RoleDefinition & { id: string | null };
  deploymentIds: readonly string[];
  knownDeployments: ReadonlySet<string>;
  expiresIn: ExpiryWindowName;
  nonce: string;
  now: Date;
}

/** An invitation to join as staff, with a role the inviter could grant themselves. */
export function inviteStaff(inviter: StaffPrincipal, request: StaffInvitationRequest): IdentityEvent[] {
  const deploymentIds = [...new Set(request.deploymentIds)];
  checkGrant(inviter, request.role, deploymentIds, request.knownDeployments);
  const { role } = request;
  const expiresAt = new Date(request.now.getTime() + EXPIRY_WINDOWS[request.expiresIn] * 1000).toISOString();
  return [
    {
      type: 'StaffInvited',
      data: {
        invitationId: request.invitationId,
        organisationId: inviter.organisationId,
        email: request.email,
        name: request.name?.trim() || null,
        role: role.name,
        roleId: role.id,
        scope: role.scope,
        deploymentIds: role.scope === 'organisation' ? [] : deploymentIds,
        permissions: [...role.permissions],
        expiresAt,
        expiresIn: request.expiresIn,
        nonce: request.nonce,
      },
    },
  ];
}

/** Once, in time: the invitation's role, as granted when it was sent. */
export function checkStaffInvitationOpen(invitation: StaffInvitation, now: Date): void {
  if (invitation.acceptedBy)
    throw new IdentityError('staff_invitation_used', 'This invitation was used already: sign in instead');
  if (now.getTime() >= Date.parse(invitation.expiresAt))
    throw new IdentityError('staff_invitation_expired', 'This invitation has expired; ask for a new one');
}

export function acceptStaffInvitation(
  invitation: StaffInvitation,
  staffId: string,
  name: string | null,
  now: Date,
): { invitation: IdentityEvent[]; account: NewStream[] } {
  checkStaffInvitationOpen(invitation, now);
  return {
    invitation: [{ type: 'StaffInvitationAccepted', data: { invitationId: invitation.invitationId, staffId } }],
    account: staffAccountStreams({
      staffId,
      email: invitation.email,
      organisationId: invitation.organisationId,
      role: {
        name: invitation.role,
        id: invitation.roleId,
        scope: invitation.scope,
        permissions: invitation.permissions,
      },
      deploymentIds: invitation.deploymentIds,
      name: name?.trim() || invitation.name,
    }),
  };
}
