import { checkGrant } from './grant-rules';
import type { StaffPrincipal } from './principal';
import { builtInRole, type RoleDefinition } from './roles';

const staff = (role: string, scope: StaffPrincipal['scope'], deploymentIds: string[] = []): StaffPrincipal => ({
  kind: 'staff',
  id: 's',
  email: 's@example.org',
  organisationId: 'o',
  role,
  permissions: builtInRole(role)!.permissions,
  scope,
  deploymentIds,
});
const role = (name: string): RoleDefinition => builtInRole(name)!;
const known = new Set(['d1']);

describe('who may grant what', () => {
  it.each([
    ['Admin', 'Admin', []],
    ['Admin', 'DeploymentStaff', ['d1']],
    ['AccessController', 'AccessController', []],
    ['AccessController', 'OrganisationStaff', []],
    ['AccessController', 'Contributor', ['d1']],
  ])('%s may grant %s %j', (grantor, granted, ids) => {
    expect(() => checkGrant(staff(grantor, 'organisation'), role(granted), ids, known)).not.toThrow();
  });

  it.each([
    ['AccessController', 'Admin', [], 'cannot_grant_role'],
    ['Admin', 'OrganisationStaff', ['d1'], 'invalid_deployment_scope'],
    ['Admin', 'DeploymentStaff', [], 'invalid_deployment_scope'],
    ['Admin', 'DeploymentStaff', ['d1', 'elsewhere'], 'invalid_deployment_scope'],
  ])('%s may not grant %s %j: %s', (grantor, granted, ids, code) => {
    expect(() => checkGrant(staff(grantor, 'organisation'), role(granted), ids, known)).toThrow(
      expect.objectContaining({ code }),
    );
  });

  it('keeps a deployment-scoped grantor from granting an organisation-wide role', () => {
    const scoped = {
      ...staff('DeploymentStaff', 'deployments', ['d1']),
      permissions: ['manage_patient_data', 'manage_staff'] as const,
    };
    expect(() => checkGrant(scoped, role('OrganisationStaff'), [], known)).toThrow(
      expect.objectContaining({ code: 'cannot_grant_role' }),
    );
    expect(() => checkGrant(scoped, role('DeploymentStaff'), ['d1'], known)).not.toThrow();
  });
});
