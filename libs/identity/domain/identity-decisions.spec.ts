import { createCustomRole } from './custom-role';
import { evolvePatient, reservedAccountId, streams } from './identity-events';
import { bootstrapOrganisation, createDeployment } from './organisation';
import { erasePatientAccount, registerPatientAccount } from './patient-account';
import { recordedFrom } from '@app/event-store/testing/given-when-then';
import type { StaffPrincipal } from './principal';
import { builtInRole } from './roles';
import { createStaffAccount } from './staff-account';

const principal = (role: string): StaffPrincipal => ({
  kind: 'staff',
  id: 'grantor',
  email: 'g@example.org',
  organisationId: 'o1',
  role,
  permissions: builtInRole(role)!.permissions,
  scope: builtInRole(role)!.scope,
  deploymentIds: [],
});
const admin = principal('Admin');

describe('identity decisions', () => {
  it('bootstraps one organisation, its default deployment and an Admin, each on a new stream', () => {
    const ids = { organisationId: 'o1', deploymentId: 'd1', adminId: 'a1' };
    expect(bootstrapOrganisation(ids, 'admin@example.org', builtInRole('Admin')!)).toEqual([
      { stream: streams.bootstrap(), events: [{ type: 'BootstrapCompleted', data: ids }] },
      {
        stream: 'organisation-o1',
        events: [{ type: 'OrganisationCreated', data: { organisationId: 'o1', name: 'Organisation' } }],
      },
      {
        stream: 'deployment-d1',
        events: [
          { type: 'DeploymentCreated', data: { deploymentId: 'd1', organisationId: 'o1', name: 'Default deployment' } },
        ],
      },
      {
        stream: streams.emailReservation('staff', 'admin@example.org'),
        events: [{ type: 'EmailAddressReserved', data: { accountId: 'a1', kind: 'staff' } }],
      },
      {
        stream: 'staff-a1',
        events: [
          { type: 'StaffAccountCreated', data: { staffId: 'a1', email: 'admin@example.org', organisationId: 'o1' } },
          {
            type: 'StaffRoleAssigned',
            data: {
              staffId: 'a1',
              role: 'Admin',
              roleId: null,
              scope: 'organisation',
              deploymentIds: [],
              permissions: [
                'manage_patient_data',
                'manage_staff',
                'view_audit_log',
                'manage_deployment',
                'erase_personal_data',
                'manage_service_accounts',
              ],
            },
          },
        ],
      },
    ]);
  });

  it('lets only an Admin create a deployment, named without surrounding blanks', () => {
    expect(createDeployment(admin, 'd2', '  Ward 7 ')).toEqual([
      {
        stream: 'deployment-d2',
        events: [{ type: 'DeploymentCreated', data: { deploymentId: 'd2', organisationId: 'o1', name: 'Ward 7' } }],
      },
    ]);
    expect(() => createDeployment(principal('AccessController'), 'd2', 'Ward 7')).toThrow(
      expect.objectContaining({ code: 'admin_only' }),
    );
  });

  it('creates a custom role of permissions its creator holds, reserving its name', () => {
    expect(
      createCustomRole(admin, { roleId: 'r1', name: ' Auditor ', permissions: ['view_audit_log', 'view_audit_log'] }),
    ).toEqual([
      { stream: streams.roleName('Auditor'), events: [{ type: 'RoleNameReserved', data: { roleId: 'r1' } }] },
      {
        stream: 'role-r1',
        events: [
          {
            type: 'RoleCreated',
            data: { roleId: 'r1', organisationId: 'o1', name: 'Auditor', permissions: ['view_audit_log'] },
          },
        ],
      },
    ]);
  });

  it.each([
    ['a built-in name in any case', admin, 'admin', ['view_audit_log'], 'role_exists'],
    ['the reserved Patient name', admin, 'PATIENT', [], 'role_exists'],
    ['an unknown permission', admin, 'Auditor', ['read_minds'], 'unknown_role'],
    [
      'a permission its creator lacks',
      principal('AccessController'),
      'Auditor',
      ['view_audit_log'],
      'cannot_grant_role',
    ],
  ])('refuses a custom role with %s', (_, actor, name, permissions, code) => {
    expect(() => createCustomRole(actor, { roleId: 'r1', name, permissions })).toThrow(
      expect.objectContaining({ code }),
    );
  });

  it('creates a staff account with its role and reserves the address; never beyond what the grantor holds', () => {
    const request = {
      staffId: 's1',
      email: 'nurse@example.org',
      role: { ...builtInRole('DeploymentStaff')!, id: null },
      deploymentIds: ['d1', 'd1'],
      knownDeployments: new Set(['d1']),
    };
    expect(createStaffAccount(admin, request)).toEqual([
      {
        stream: streams.emailReservation('staff', 'nurse@example.org'),
        events: [{ type: 'EmailAddressReserved', data: { accountId: 's1', kind: 'staff' } }],
      },
      {
        stream: 'staff-s1',
        events: [
          { type: 'StaffAccountCreated', data: { staffId: 's1', email: 'nurse@example.org', organisationId: 'o1' } },
          {
            type: 'StaffRoleAssigned',
            data: {
              staffId: 's1',
              role: 'DeploymentStaff',
              roleId: null,
              scope: 'deployments',
              deploymentIds: ['d1'],
              permissions: ['manage_patient_data'],
            },
          },
        ],
      },
    ]);
    expect(() =>
      createStaffAccount(principal('AccessController'), { ...request, role: { ...builtInRole('Admin')!, id: null } }),
    ).toThrow(expect.objectContaining({ code: 'cannot_grant_role' }));
  });

  it('registers a patient account redeemed from an invitation, reserving the address on the stream given', () => {
    const request = {
      patientId: 'p1',
      email: 'p@example.org',
      displayName: null,
      invitationId: 'i1',
      deploymentId: 'd1',
      credentialId: 'c1',
    };
    expect(registerPatientAccount(request, 'patientEmail-k1')).toEqual([
      {
        stream: 'patientEmail-k1',
        events: [{ type: 'EmailAddressReserved', data: { accountId: 'p1', kind: 'patient' } }],
      },
      { stream: 'patient-p1', events: [{ type: 'PatientAccountCreated', data: request }] },
    ]);
  });

  describe('erasing a patient', () => {
    const created = {
      type: 'PatientAccountCreated' as const,
      data: {
        patientId: 'p1',
        email: 'p@example.org',
        displayName: 'Pat',
        invitationId: 'i1',
        deploymentId: 'd1',
        credentialId: 'c1',
      },
    };
    const options = { stream: 'patient-p1', start: new Date('2030-01-01T00:00:00Z') };
    const patient = evolvePatient(null, recordedFrom(created, 0, options))!;

    it('closes the account and releases its address, naming only the account', () =>
      expect(erasePatientAccount(patient, 'patientEmail-k1')).toEqual([
        { stream: 'patient-p1', events: [{ type: 'PatientAccountErased', data: { patientId: 'p1' } }] },
        {
          stream: 'patientEmail-k1',
          events: [{ type: 'EmailAddressReleased', data: { accountId: 'p1', kind: 'patient' } }],
        },
      ]));

    it('leaves no account behind: an erased patient folds to nothing', () =>
      expect(
        evolvePatient(patient, recordedFrom({ type: 'PatientAccountErased', data: { patientId: 'p1' } }, 1, options)),
      ).toBeNull());

    it('frees the address: the latest reservation or release decides who holds it', () => {
      const reservation = { stream: 'patientEmail-x', start: options.start };
      const reserved = (accountId: string) => ({ type: 'EmailAddressReserved', data: { accountId, kind: 'patient' } });
      const released = { type: 'EmailAddressReleased', data: { accountId: 'p1', kind: 'patient' } };
      const history = (...events: { type: string; data: Record<string, string> }[]) =>
        events.map((e, i) => recordedFrom(e as never, i, reservation));
      expect(reservedAccountId(history(reserved('p1')))).toBe('p1');
      expect(reservedAccountId(history(reserved('p1'), released))).toBeNull();
      expect(reservedAccountId(history(reserved('p1'), released, reserved('p2')))).toBe('p2');
    });
  });
});
