/** Permissions and the default roles of API.md. Plain data: no Nest, no I/O. */
export const PERMISSIONS = [
  'manage_patient_data',
  'manage_staff',
  'view_audit_log',
  'manage_deployment',
  // Erasing a person's data is organisation-wide (a person is not one deployment's), so it is only
  // ever exercised through an organisation-wide role.
  'erase_personal_data',
  // Service accounts act for the whole organisation's integrations: managed through an organisation-wide role.
  'manage_service_accounts',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * What a service account's token may do (OAuth 2.0 scopes): read the event log (feed, export, live
 * stream), read invitations, issue, resend and revoke them. Each route open to service accounts
 * names the one it needs; every other route refuses them.
 */
export const SERVICE_SCOPES = ['events:read', 'invitations:read', 'invitations:write'] as const;
export type ServiceScope = (typeof SERVICE_SCOPES)[number];

export function isServiceScope(value: unknown): value is ServiceScope {
  return (SERVICE_SCOPES as readonly unknown[]).includes(value);
}

/** Organisation-wide roles act in every deployment; the others only in their `deploymentIds`. */
export type RoleScope = 'organisation' | 'deployments';

export interface RoleDefinition {
  name: string;
  permissions: readonly Permission[];
  scope: RoleScope;
  builtIn: boolean;
}

export const BUILT_IN_ROLES: readonly RoleDefinition[] = [
  {
    name: 'Admin',
    permissions: [
      'manage_patient_data',
      'manage_staff',
      'view_audit_log',
      'manage_deployment',
      'erase_personal_data',
      'manage_service_accounts',
    ],
    scope: 'organisation',
    builtIn: true,
  },
  {
    name: 'AccessController',
    permissions: ['manage_patient_data', 'manage_staff'],
    scope: 'organisation',
    builtIn: true,
  },
  { name: 'OrganisationStaff', permissions: ['manage_patient_data'], scope: 'organisation', builtIn: true },
  { name: 'DeploymentStaff', permissions: ['manage_patient_data'], scope: 'deployments', builtIn: true },
  { name: 'Contributor', permissions: [], scope: 'deployments', builtIn: true },
];

/** Patients are not staff: the name is reserved so no custom role can pose as it. */
export const RESERVED_ROLE_NAMES = [...BUILT_IN_ROLES.map((r) => r.name), 'Patient'];

export function builtInRole(name: string): RoleDefinition | undefined {
  return BUILT_IN_ROLES.find((r) => r.name === name);
}

export function isPermission(value: unknown): value is Permission {
  return (PERMISSIONS as readonly unknown[]).includes(value);
}
