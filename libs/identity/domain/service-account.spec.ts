import { recordedFrom } from '@app/event-store/testing/given-when-then';
import type { IdentityEvent } from './identity-events';
import type { StaffPrincipal } from './principal';
import { builtInRole } from './roles';
import {
  createServiceAccount,
  evolveServiceAccount,
  revokeServiceAccount,
  rotateServiceAccountSecret,
  type ServiceAccountState,
} from './service-account';

const admin: StaffPrincipal = {
  kind: 'staff',
  id: 'admin',
  email: 'a@example.org',
  organisationId: 'o1',
  role: 'Admin',
  permissions: builtInRole('Admin')!.permissions,
  scope: 'organisation',
  deploymentIds: [],
};
const request = {
  serviceAccountId: 's1',
  credentialId: 'c1',
  name: '  Warehouse ',
  scopes: ['events:read', 'events:read'],
  deploymentIds: ['d1'],
  knownDeployments: new Set(['d1']),
};
const created: IdentityEvent = {
  type: 'ServiceAccountCreated',
  data: {
    serviceAccountId: 's1',
    organisationId: 'o1',
    name: 'Warehouse',
    scopes: ['events:read'],
    deploymentIds: ['d1'],
    credentialId: 'c1',
  },
};

function given(...events: IdentityEvent[]): ServiceAccountState | null {
  const start = new Date('2026-12-01T10:00:00Z');
  return events.reduce<ServiceAccountState | null>(
    (state, event, i) => evolveServiceAccount(state, recordedFrom(event, i, { stream: 'serviceAccount-s1', start })),
    null,
  );
}

describe('service accounts', () => {
  it('are created named, with their scopes once each, in the organisation of whoever creates them', () => {
    expect(createServiceAccount(admin, request)).toEqual([{ stream: 'serviceAccount-s1', events: [created] }]);
  });

  it('need at least one known scope, a name, and deployments the creator acts in', () => {
    expect(() => createServiceAccount(admin, { ...request, scopes: [] })).toThrow(
      expect.objectContaining({ code: 'invalid_scopes' }),
    );
    expect(() => createServiceAccount(admin, { ...request, scopes: ['events:write'] })).toThrow(
      expect.objectContaining({ code: 'invalid_scopes' }),
    );
    expect(() => createServiceAccount(admin, { ...request, name: ' ' })).toThrow(
      expect.objectContaining({ code: 'invalid_name' }),
    );
    expect(() => createServiceAccount(admin, { ...request, knownDeployments: new Set() })).toThrow(
      expect.objectContaining({ code: 'deployment_not_found' }),
    );
  });

  it('given an active account, rotating names the new secret', () => {
    expect(rotateServiceAccountSecret(given(created), 'c2')).toEqual([
      { type: 'ServiceAccountSecretRotated', data: { serviceAccountId: 's1', credentialId: 'c2' } },
    ]);
  });

  it('given a revoked account, neither rotating nor revoking again is possible', () => {
    const revoked = given(created, { type: 'ServiceAccountRevoked', data: { serviceAccountId: 's1' } });
    expect(revoked).toEqual(expect.objectContaining({ active: false, revokedAt: '2026-12-01T10:00:00.000Z' }));
    expect(() => rotateServiceAccountSecret(revoked, 'c2')).toThrow(
      expect.objectContaining({ code: 'service_account_revoked' }),
    );
    expect(() => revokeServiceAccount(revoked)).toThrow(expect.objectContaining({ code: 'service_account_revoked' }));
  });

  it('given no account, there is nothing to rotate or revoke', () => {
    expect(() => revokeServiceAccount(null)).toThrow(expect.objectContaining({ code: 'service_account_not_found' }));
  });

  it('a rotation moves the account to the new secret', () => {
    const rotated = given(created, {
      type: 'ServiceAccountSecretRotated',
      data: { serviceAccountId: 's1', credentialId: 'c2' },
    });
    expect(rotated).toEqual(expect.objectContaining({ credentialId: 'c2', active: true }));
  });
});
