import { createHash } from 'node:crypto';
import { type DomainEvent, type JsonObject, occurredAt, type RecordedEvent } from '@app/event-store';
import {
  DEFAULT_DEPLOYMENT_SETTINGS,
  type DeploymentSettings,
  type DeploymentSettingsChange,
} from './deployment-settings';
import type { Permission, RoleScope, ServiceScope } from './roles';

/** Event types of the identity context: a public contract (audit teams read them). */
export const IdentityEvents = {
  OrganisationCreated: 'OrganisationCreated',
  DeploymentCreated: 'DeploymentCreated',
  DeploymentSettingsChanged: 'DeploymentSettingsChanged',
  RoleCreated: 'RoleCreated',
  StaffAccountCreated: 'StaffAccountCreated',
  StaffRoleAssigned: 'StaffRoleAssigned',
  StaffRenamed: 'StaffRenamed',
  StaffDeactivated: 'StaffDeactivated',
  StaffReactivated: 'StaffReactivated',
  PasswordChanged: 'PasswordChanged',
  PatientEnrolled: 'PatientEnrolled',
  PasswordResetRequested: 'PasswordResetRequested',
  StaffInvited: 'StaffInvited',
  StaffInvitationAccepted: 'StaffInvitationAccepted',
  PatientAccountCreated: 'PatientAccountCreated',
  EmailAddressReserved: 'EmailAddressReserved',
  EmailAddressReleased: 'EmailAddressReleased',
  PatientAccountErased: 'PatientAccountErased',
  RoleNameReserved: 'RoleNameReserved',
  BootstrapCompleted: 'BootstrapCompleted',
  ServiceAccountCreated: 'ServiceAccountCreated',
  ServiceAccountSecretRotated: 'ServiceAccountSecretRotated',
  ServiceAccountRevoked: 'ServiceAccountRevoked',
} as const;

export interface StaffRoleAssignedData extends JsonObject {
  staffId: string;
  role: string;
  /** Set for custom roles: their permissions are read from the role's own stream. */
  roleId: string | null;
  scope: RoleScope;
  deploymentIds: string[];
  /** What the role carried when it was granted, for the audit trail. */
  permissions: Permission[];
}

export type AccountKind = 'staff' | 'patient';

export interface OrganisationCreatedData extends JsonObject {
  organisationId: string;
  name: string;
}

export interface DeploymentCreatedData extends JsonObject {
  deploymentId: string;
  organisationId: string;
  name: string;
}

/** Only the settings that changed, with their new values; the rest keep theirs. */
export interface DeploymentSettingsChangedData extends JsonObject {
  deploymentId: string;
  changes: DeploymentSettingsChange;
}

export interface RoleCreatedData extends JsonObject {
  roleId: string;
  organisationId: string;
  name: string;
  permissions: Permission[];
}

export interface StaffAccountCreatedData extends JsonObject {
  staffId: string;
  email: string;
  organisationId: string;
}

/** The name shown next to what a member of staff did (history, lists, the audit feed). */
export interface StaffRenamedData extends JsonObject {
  staffId: string;
  name: string;
}

/** Deactivated staff cannot sign in, and their tokens are refused on their next request. */
export interface StaffActivationData extends JsonObject {
  staffId: string;
}

/**
 * A new password: its hash is stored under `credentialId` (never in an event). Tokens issued before
 * it and every session end. `reason`: changed by its owner, reset by email, or by the operator.
 */
export interface PasswordChangedData extends JsonObject {
  accountId: string;
  credentialId: string;
  reason: 'changed' | 'reset' | 'operator_reset';
}

export interface PatientAccountCreatedData extends JsonObject {
  patientId: string;
  email: string;
  displayName: string | null;
  invitationId: string;
  deploymentId: string;
  credentialId: string;
}

/**
 * Someone asked to reset an account's password: an email goes out with a one-time link built from
 * `nonce` (the link itself is never stored). A later request or a password change replaces it.
 */
export interface PasswordResetRequestedData extends JsonObject {
  accountId: string;
  accountKind: AccountKind;
  email: string;
  nonce: string;
  expiresAt: string;
}

/** Staff are invited, not given passwords: the role is granted now, the account made when they accept. */
export interface StaffInvitedData extends JsonObject {
  invitationId: string;
  organisationId: string;
  email: string;
  name: string | null;
  role: string;
  roleId: string | null;
  scope: RoleScope;
  deploymentIds: string[];
  permissions: Permission[];
  expiresAt: string;
  expiresIn: string;
  nonce: string;
}

export interface StaffInvitationAcceptedData extends JsonObject {
  invitationId: string;
  staffId: string;
}

/** A patient account that already exists joins another deployment, through that deployment's invitation. */
export interface PatientEnrolledData extends JsonObject {
  patientId: string;
  deploymentId: string;
  invitationId: string;
}

export interface EmailAddressReservedData extends JsonObject {
  accountId: string;
  kind: AccountKind;
}

/** The address is free again: its account was erased. The next account reserves it after this event. */
export type EmailAddressReleasedData = EmailAddressReservedData;

/** A patient asked to be erased: the account is closed for good; its personal data was shredded. */
export interface PatientAccountErasedData extends JsonObject {
  patientId: string;
}

export interface RoleNameReservedData extends JsonObject {
  roleId: string;
}

export interface BootstrapCompletedData extends JsonObject {
  organisationId: string;
  deploymentId: string;
  adminId: string;
}

/**
 * A machine client of the organisation (another service): it exchanges its client id and secret for
 * access tokens that carry `scopes`, in every deployment of the organisation (`deploymentIds` empty)
 * or only in those listed. The secret's hash is stored under `credentialId`, never in an event.
 */
export interface ServiceAccountCreatedData extends JsonObject {
  serviceAccountId: string;
  organisationId: string;
  name: string;
  scopes: ServiceScope[];
  deploymentIds: string[];
  credentialId: string;
}

/** A new secret: the previous one, and every token issued under it, stop working at once. */
export interface ServiceAccountSecretRotatedData extends JsonObject {
  serviceAccountId: string;
  credentialId: string;
}

/** Closed for good: no token is issued any more, and those issued are refused on their next use. */
export interface ServiceAccountRevokedData extends JsonObject {
  serviceAccountId: string;
}

/** Every event of the identity context, each type with its data. */
export type IdentityEvent =
  | DomainEvent<'OrganisationCreated', OrganisationCreatedData>
  | DomainEvent<'DeploymentCreated', DeploymentCreatedData>
  | DomainEvent<'DeploymentSettingsChanged', DeploymentSettingsChangedData>
  | DomainEvent<'RoleCreated', RoleCreatedData>
  | DomainEvent<'StaffAccountCreated', StaffAccountCreatedData>
  | DomainEvent<'StaffRoleAssigned', StaffRoleAssignedData>
  | DomainEvent<'StaffRenamed', StaffRenamedData>
  | DomainEvent<'StaffDeactivated', StaffActivationData>
  | DomainEvent<'StaffReactivated', StaffActivationData>
  | DomainEvent<'PasswordChanged', PasswordChangedData>
  | DomainEvent<'PatientEnrolled', PatientEnrolledData>
  | DomainEvent<'PasswordResetRequested', PasswordResetRequestedData>
  | DomainEvent<'StaffInvited', StaffInvitedData>
  | DomainEvent<'StaffInvitationAccepted', StaffInvitationAcceptedData>
  | DomainEvent<'PatientAccountCreated', PatientAccountCreatedData>
  | DomainEvent<'EmailAddressReserved', EmailAddressReservedData>
  | DomainEvent<'EmailAddressReleased', EmailAddressReleasedData>
  | DomainEvent<'PatientAccountErased', PatientAccountErasedData>
  | DomainEvent<'RoleNameReserved', RoleNameReservedData>
  | DomainEvent<'BootstrapCompleted', BootstrapCompletedData>
  | DomainEvent<'ServiceAccountCreated', ServiceAccountCreatedData>
  | DomainEvent<'ServiceAccountSecretRotated', ServiceAccountSecretRotatedData>
  | DomainEvent<'ServiceAccountRevoked', ServiceAccountRevokedData>;

export type RecordedIdentityEvent = IdentityEvent & Omit<RecordedEvent, 'type' | 'data'>;

const TYPES = new Set<string>(Object.values(IdentityEvents));

/** The one place a stored event of this context is taken at its type; others are null. */
export function identityEventOf(event: RecordedEvent): RecordedIdentityEvent | null {
  return TYPES.has(event.type) ? (event as unknown as RecordedIdentityEvent) : null;
}

export const streams = {
  organisation: (id: string) => `organisation-${id}`,
  deployment: (id: string) => `deployment-${id}`,
  role: (id: string) => `role-${id}`,
  staff: (id: string) => `staff-${id}`,
  patient: (id: string) => `patient-${id}`,
  bootstrap: () => 'identityBootstrap-organisation',
  staffInvitation: (id: string) => `staffInvitation-${id}`,
  serviceAccount: (id: string) => `serviceAccount-${id}`,
  /**
   * One stream per (account kind, address): creating it with no_stream is what keeps addresses unique.
   * Staff addresses, and patients' reserved before keyed names, are named by a plain hash; a patient's
   * address now by a keyed HMAC (`patientEmailReservation`), the plain name read only for older ones.
   */
  emailReservation: (kind: AccountKind, email: string) => `${kind}Email-${digest(`${kind}:${email}`)}`,
  /** A patient's address reservation, named by a keyed HMAC of `patient:<address>` (never a plain hash). */
  patientEmailReservation: (addressKey: string) => `patientEmail-${addressKey.slice(0, 40)}`,
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
  name: string | null;
  active: boolean;
  /** Which stored password hash is this account's (its own id until the first change). */
  credentialId: string;
  reset: PendingReset | null;
}

/** The password reset an account's latest link is for; gone once the password changes. */
export interface PendingReset {
  nonce: string;
  expiresAt: string;
  requestedAt: string;
}

function pendingReset(recorded: RecordedEvent, data: PasswordResetRequestedData): PendingReset {
  return { nonce: data.nonce, expiresAt: data.expiresAt, requestedAt: occurredAt(recorded) };
}

export function evolveStaff(state: StaffState | null, recorded: RecordedEvent): StaffState | null {
  const event = identityEventOf(recorded);
  switch (event?.type) {
    case IdentityEvents.StaffAccountCreated:
      return {
        id: event.data.staffId,
        email: event.data.email,
        organisationId: event.data.organisationId,
        role: 'Contributor',
        roleId: null,
        scope: 'deployments',
        deploymentIds: [],
        name: null,
        active: true,
        credentialId: event.data.staffId,
        reset: null,
      };
    case IdentityEvents.StaffRoleAssigned: {
      const assigned = event.data;
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
    case IdentityEvents.StaffRenamed:
      return state && { ...state, name: event.data.name };
    case IdentityEvents.StaffDeactivated:
      return state && { ...state, active: false };
    case IdentityEvents.PasswordChanged:
      return state && { ...state, credentialId: event.data.credentialId, reset: null };
    case IdentityEvents.PasswordResetRequested:
      return state && { ...state, reset: pendingReset(recorded, event.data) };
    case IdentityEvents.StaffReactivated:
      return state && { ...state, active: true };
    default:
      return state;
  }
}

export interface CustomRoleState {
  id: string;
  name: string;
  permissions: Permission[];
}

export function evolveRole(state: CustomRoleState | null, recorded: RecordedEvent): CustomRoleState | null {
  const event = identityEventOf(recorded);
  if (event?.type !== IdentityEvents.RoleCreated) return state;
  return { id: event.data.roleId, name: event.data.name, permissions: event.data.permissions };
}

export interface PatientState {
  id: string;
  email: string;
  deploymentId: string;
  invitationId: string;
  /** Which stored password hash is this account's. */
  credentialId: string;
  /** Every deployment the patient is enrolled in: the first one's, then each joined through an invitation. */
  deploymentIds: string[];
  reset: PendingReset | null;
}

export function evolvePatient(state: PatientState | null, recorded: RecordedEvent): PatientState | null {
  const event = identityEventOf(recorded);
  switch (event?.type) {
    case IdentityEvents.PatientAccountCreated: {
      const { patientId, email, deploymentId, invitationId, credentialId } = event.data;
      return {
        id: patientId,
        email,
        deploymentId,
        invitationId,
        credentialId,
        deploymentIds: [deploymentId],
        reset: null,
      };
    }
    case IdentityEvents.PasswordChanged:
      return state && { ...state, credentialId: event.data.credentialId, reset: null };
    case IdentityEvents.PasswordResetRequested:
      return state && { ...state, reset: pendingReset(recorded, event.data) };
    case IdentityEvents.PatientEnrolled:
      return state && { ...state, deploymentIds: [...new Set([...state.deploymentIds, event.data.deploymentId])] };
    case IdentityEvents.PatientAccountErased:
      return null;
    default:
      return state;
  }
}

export interface DeploymentState {
  id: string;
  organisationId: string;
  name: string;
  settings: DeploymentSettings;
}

export function evolveDeployment(state: DeploymentState | null, recorded: RecordedEvent): DeploymentState | null {
  const event = identityEventOf(recorded);
  switch (event?.type) {
    case IdentityEvents.DeploymentCreated: {
      const { deploymentId, organisationId, name } = event.data;
      return { id: deploymentId, organisationId, name, settings: DEFAULT_DEPLOYMENT_SETTINGS };
    }
    case IdentityEvents.DeploymentSettingsChanged:
      return state && { ...state, settings: { ...state.settings, ...event.data.changes } };
    default:
      return state;
  }
}

/** The account an address reservation points at (or the role a role-name reservation does). */
export function reservedAccountId(events: readonly RecordedEvent[]): string | null {
  // The latest reservation or release decides: an erased account's address is free again.
  let holder: string | null = null;
  for (const recorded of events) {
    const event = identityEventOf(recorded);
    if (event?.type === IdentityEvents.EmailAddressReserved) holder = event.data.accountId;
    if (event?.type === IdentityEvents.EmailAddressReleased) holder = null;
    if (event?.type === IdentityEvents.RoleNameReserved) holder = event.data.roleId;
  }
  return holder;
}
