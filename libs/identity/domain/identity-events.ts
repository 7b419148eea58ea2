import { createHash } from 'node:crypto';
import type { RecordedEvent } from '@app/event-store';
import type { Permission, RoleScope } from './roles';

/** Event types of the identity context: a public contract (audit teams read them). */
export const IdentityEvents = {
  OrganisationCreated: 'OrganisationCreated',
  DeploymentCreated: 'DeploymentCreated',
  RoleCreated: 'RoleCreated',
  StaffAccountCreated: 'StaffAccountCreated',
  StaffRoleAssigned: 'StaffRoleAssigned',
  PatientAccountCreated: 'PatientAccountCreated',
  EmailAddressReserved: 'EmailAddressReserved',
  RoleNameReserved: 'RoleNameReserved',
  BootstrapCompleted: 'BootstrapCompleted',
} as const;

export interface StaffRoleAssignedData {
  staffId: string;
  role: string;
  /** Set for custom roles: their permissions are read from the role's own stream. */
  roleId: string | null;
  scope: RoleScope;
  deploymentIds: string[];
  /** What the role carried when it was granted, for the audit trail. */
  permissions: Permission[];
  [key: string]: unknown;
}

export type AccountKind = 'staff' | 'patient';

export const streams = {
  organisation: (id: string) => `organisation-${id}`,
  deployment: (id: string) => `deployment-${id}`,
  role: (id: string) => `role-${id}`,
  staff: (id: string) => `staff-${id}`,
  patient: (id: string) => `patient-${id}`,
  bootstrap: () => 'identityBootstrap-organisation',
  /** One stream per (account kind, address): creating it with no_stream is what keeps addresses unique. */
  emailReservation: (kind: AccountKind, email: string) => `${kind}Email-${digest(`${kind}:${email}`)}`,
  roleName: (name: string) => `roleName-${digest(name.toLowerCase())}`,
};

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 40);
}

export interface StaffState {
  id: string;
  email: string;
  organisationId: string;
  role: string;
  roleId: string | null;
  scope: RoleScope;
  deploymentIds: string[];
}

export function evolveStaff(state: StaffState | null, event: RecordedEvent): StaffState | null {
  const data = event.data as Record<string, unknown>;
  switch (event.type) {
    case IdentityEvents.StaffAccountCreated:
      return {
        id: data.staffId as string,
        email: data.email as string,
        organisationId: data.organisationId as string,
        role: 'Contributor',
        roleId: null,
        scope: 'deployments',
        deploymentIds: [],
      };
    case IdentityEvents.StaffRoleAssigned: {
      const assigned = data as StaffRoleAssignedData;
      return (
        state && {
          ...state,
          role: assigned.role,
          roleId: assigned.roleId,
          scope: assigned.scope,
          deploymentIds: assigned.deploymentIds,
        }
      );
    }
    default:
      return state;
  }
}

export interface CustomRoleState {
  id: string;
  name: string;
  permissions: Permission[];
}

export function evolveRole(state: CustomRoleState | null, event: RecordedEvent): CustomRoleState | null {
  if (event.type !== IdentityEvents.RoleCreated) return state;
  const data = event.data as { roleId: string; name: string; permissions: Permission[] };
  return { id: data.roleId, name: data.name, permissions: data.permissions };
}

export interface PatientState {
  id: string;
  email: string;
  deploymentId: string;
  invitationId: string;
  /** Which stored password hash is this account's. */
  credentialId: string;
}

export function evolvePatient(state: PatientState | null, event: RecordedEvent): PatientState | null {
  if (event.type !== IdentityEvents.PatientAccountCreated) return state;
  const data = event.data as {
    patientId: string;
    email: string;
    deploymentId: string;
    invitationId: string;
    credentialId: string;
  };
  return {
    id: data.patientId,
    email: data.email,
    deploymentId: data.deploymentId,
    invitationId: data.invitationId,
    credentialId: data.credentialId,
  };
}

export interface DeploymentState {
  id: string;
  organisationId: string;
  name: string;
}

export function evolveDeployment(state: DeploymentState | null, event: RecordedEvent): DeploymentState | null {
  if (event.type !== IdentityEvents.DeploymentCreated) return state;
  const data = event.data as { deploymentId: string; organisationId: string; name: string };
  return { id: data.deploymentId, organisationId: data.organisationId, name: data.name };
}

/** The account an address reservation points at. */
export function reservedAccountId(events: readonly RecordedEvent[]): string | null {
  const reservation = events.find(
    (e) => e.type === IdentityEvents.EmailAddressReserved || e.type === IdentityEvents.RoleNameReserved,
  );
  return (
    (reservation?.data.accountId as string | undefined) ?? (reservation?.data.roleId as string | undefined) ?? null
  );
}
