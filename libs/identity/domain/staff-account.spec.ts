import { specification } from '@app/event-store/testing/given-when-then';
import { evolveStaff, type IdentityEvent, type StaffState } from './identity-events';
import type { StaffPrincipal } from './principal';
import { builtInRole } from './roles';
import { canSee, deactivateStaff, reactivateStaff, reassignStaffRole, renameStaff } from './staff-account';

const given = specification<StaffState>(evolveStaff, { stream: 'staff-s1', start: new Date(0) });
const manager = (role: string, deploymentIds: string[] = []): StaffPrincipal => ({
  kind: 'staff',
  id: 'm1',
  email: 'm@example.org',
  organisationId: 'o1',
  role,
  permissions: builtInRole(role)!.permissions,
  scope: builtInRole(role)!.scope,
  deploymentIds,
});
const created: IdentityEvent = {
  type: 'StaffAccountCreated',
  data: { staffId: 's1', email: 's@example.org', organisationId: 'o1' },
};
const assigned = (role: string, deploymentIds: string[]): IdentityEvent => ({
  type: 'StaffRoleAssigned',
  data: {
    staffId: 's1',
    role,
    roleId: null,
    scope: builtInRole(role)!.scope,
    deploymentIds,
    permissions: [...builtInRole(role)!.permissions],
  },
});
const deactivated: IdentityEvent = { type: 'StaffDeactivated', data: { staffId: 's1' } };
const role = (name: string) => ({ ...builtInRole(name)!, id: null });

describe('managing staff', () => {
  it('renames, trimmed, and not twice to the same name', () => {
    given(created)
      .when((s) => renameStaff(s, ' Nora '))
      .then({ type: 'StaffRenamed', data: { staffId: 's1', name: 'Nora' } });
    given(created, { type: 'StaffRenamed', data: { staffId: 's1', name: 'Nora' } })
      .when((s) => renameStaff(s, 'Nora'))
      .then();
    given(created)
      .when((s) => renameStaff(s, '  '))
      .thenFails('invalid_name');
  });

  it('reassigns a role within what the manager holds', () => {
    const change = { current: role('DeploymentStaff'), next: role('Contributor'), deploymentIds: ['d1'] };
    given(created, assigned('DeploymentStaff', ['d1']))
      .when((s) => reassignStaffRole(manager('AccessController'), s, { ...change, knownDeployments: new Set(['d1']) }))
      .then(assigned('Contributor', ['d1']));
    given(created, assigned('DeploymentStaff', ['d1']))
      .when((s) =>
        reassignStaffRole(manager('AccessController'), s, {
          ...change,
          next: role('Admin'),
          deploymentIds: [],
          knownDeployments: new Set(),
        }),
      )
      .thenFails('cannot_grant_role');
  });

  it('deactivates once and reactivates once; nobody switches themselves off', () => {
    given(created, assigned('OrganisationStaff', []))
      .when((s) => deactivateStaff(manager('Admin'), s, role('OrganisationStaff')))
      .then(deactivated);
    given(created, assigned('OrganisationStaff', []), deactivated)
      .when((s) => deactivateStaff(manager('Admin'), s, role('OrganisationStaff')))
      .then();
    given(created, assigned('OrganisationStaff', []), deactivated)
      .when((s) => reactivateStaff(manager('Admin'), s, role('OrganisationStaff')))
      .then({ type: 'StaffReactivated', data: { staffId: 's1' } });
    given(created, assigned('Admin', []))
      .when((s) => deactivateStaff({ ...manager('Admin'), id: 's1' }, s, role('Admin')))
      .thenFails('cannot_manage_self');
    given(created, assigned('Admin', []))
      .when((s) => deactivateStaff(manager('AccessController'), s, role('Admin')))
      .thenFails('cannot_grant_role');
  });

  it('lets a deployment-scoped manager see only staff wholly within its deployments', () => {
    const ward = manager('DeploymentStaff', ['d1']);
    expect(canSee(ward, given(created, assigned('DeploymentStaff', ['d1'])).state)).toBe(true);
    expect(canSee(ward, given(created, assigned('DeploymentStaff', ['d1', 'd2'])).state)).toBe(false);
    expect(canSee(ward, given(created, assigned('OrganisationStaff', [])).state)).toBe(false);
    expect(canSee(manager('Admin'), given(created, assigned('OrganisationStaff', [])).state)).toBe(true);
  });
});
