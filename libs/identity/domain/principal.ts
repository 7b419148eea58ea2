import type { Permission, RoleScope } from './roles';

/** The password (its stored hash's id) access tokens must name: a change refuses every earlier token. */
interface TokenCutOff {
  credentialId?: string;
}

/** Who is calling, loaded fresh from the event streams on every request. */
export interface StaffPrincipal extends TokenCutOff {
  kind: 'staff';
  id: string;
  email: string;
  organisationId: string;
  role: string;
  permissions: readonly Permission[];
  scope: RoleScope;
  /** For deployment-scoped roles; organisation-wide roles act in every deployment of the organisation. */
  deploymentIds: readonly string[];
}

export interface PatientPrincipal extends TokenCutOff {
  kind: 'patient';
  id: string;
  email: string;
  deploymentIds: readonly string[];
}

export type Principal = StaffPrincipal | PatientPrincipal;

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return principal.kind === 'staff' && principal.permissions.includes(permission);
}
