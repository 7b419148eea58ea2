import { projectionSpecification } from '@app/event-processing/testing/projection-specification';
import type { IdentityEvent } from '../domain/identity-events';
import { identityMigrations } from './identity-schema';
import { IdentityProjection } from './identity.projection';

const given = projectionSpecification({
  component: 'identity',
  migrations: identityMigrations,
  processor: () => new IdentityProjection(),
});
const at = new Date('2030-01-01T00:00:00.000Z');
const deployment: IdentityEvent = {
  type: 'DeploymentCreated',
  data: { deploymentId: 'd1', organisationId: 'o1', name: 'Ward 7' },
};
const role: IdentityEvent = {
  type: 'RoleCreated',
  data: { roleId: 'r1', organisationId: 'o1', name: 'Auditor', permissions: ['view_audit_log'] },
};

describe('the identity directory projection', () => {
  it('lists deployments once each, when they were created', () =>
    given({ event: deployment, at }, { event: deployment, at }).then('identity_deployments', 'id', [
      { id: 'd1', organisation_id: 'o1', name: 'Ward 7', created_at: at.toISOString() },
    ]));

  it('lists custom roles with their permissions', () =>
    given({ event: role, at }).then('identity_roles', 'id', [
      { id: 'r1', name: 'Auditor', permissions: '["view_audit_log"]', created_at: at.toISOString() },
    ]));

  it('keeps accounts out of the lists: they are read from their streams', () =>
    given({
      event: { type: 'StaffAccountCreated', data: { staffId: 's1', email: 's@example.org', organisationId: 'o1' } },
      at,
    }).then('identity_deployments', 'id', []));
});
