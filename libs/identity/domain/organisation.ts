import type { RoleDefinition } from './roles';
import { IdentityError } from './identity-error';
import { streams } from './identity-events';
import type { NewStream } from './new-streams';
import type { StaffPrincipal } from './principal';

export interface BootstrapIds {
  organisationId: string;
  deploymentId: string;
  adminId: string;
}

/** An empty store's first write: the organisation, its default deployment, and an Admin holding `admin`. */
export function bootstrapOrganisation(ids: BootstrapIds, adminEmail: string, admin: RoleDefinition): NewStream[] {
  const { organisationId, deploymentId, adminId } = ids;
  return [
    { stream: streams.bootstrap(), events: [{ type: 'BootstrapCompleted', data: { ...ids } }] },
    {
      stream: streams.organisation(organisationId),
      events: [{ type: 'OrganisationCreated', data: { organisationId, name: 'Organisation' } }],
    },
    {
      stream: streams.deployment(deploymentId),
      events: [{ type: 'DeploymentCreated', data: { deploymentId, organisationId, name: 'Default deployment' } }],
    },
    {
      stream: streams.emailReservation('staff', adminEmail),
      events: [{ type: 'EmailAddressReserved', data: { accountId: adminId, kind: 'staff' } }],
    },
    {
      stream: streams.staff(adminId),
      events: [
        { type: 'StaffAccountCreated', data: { staffId: adminId, email: adminEmail, organisationId } },
        {
          type: 'StaffRoleAssigned',
          data: {
            staffId: adminId,
            role: admin.name,
            roleId: null,
            scope: admin.scope,
            deploymentIds: [],
            permissions: [...admin.permissions],
          },
        },
      ],
    },
  ];
}

/** Only an Admin adds deployments to the organisation. */
export function createDeployment(actor: StaffPrincipal, deploymentId: string, name: string): NewStream[] {
  if (actor.role !== 'Admin') throw new IdentityError('admin_only', 'Only an Admin creates deployments');
  const data = { deploymentId, organisationId: actor.organisationId, name: name.trim() };
  return [{ stream: streams.deployment(deploymentId), events: [{ type: 'DeploymentCreated', data }] }];
}
