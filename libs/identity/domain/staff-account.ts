import { checkGrant } from './grant-rules';
import { streams } from './identity-events';
import type { NewStream } from './new-streams';
import type { StaffPrincipal } from './principal';
import type { RoleDefinition } from './roles';

export interface StaffAccountRequest {
  staffId: string;
  /** Already validated and normalised. */
  email: string;
  role: RoleDefinition & { id: string | null };
  deploymentIds: readonly string[];
  /** The requested deployments that exist and that the grantor may act in. */
  knownDeployments: ReadonlySet<string>;
}

/** A staff account with its role, granted within what the grantor holds; the address is reserved with it. */
export function createStaffAccount(grantor: StaffPrincipal, request: StaffAccountRequest): NewStream[] {
  const { staffId, email, role } = request;
  const deploymentIds = [...new Set(request.deploymentIds)];
  checkGrant(grantor, role, deploymentIds, request.knownDeployments);
  return [
    {
      stream: streams.emailReservation('staff', email),
      events: [{ type: 'EmailAddressReserved', data: { accountId: staffId, kind: 'staff' } }],
    },
    {
      stream: streams.staff(staffId),
      events: [
        { type: 'StaffAccountCreated', data: { staffId, email, organisationId: grantor.organisationId } },
        {
          type: 'StaffRoleAssigned',
          data: {
            staffId,
            role: role.name,
            roleId: role.id,
            scope: role.scope,
            deploymentIds,
            permissions: [...role.permissions],
          },
        },
      ],
    },
  ];
}
