import type { Permission, RoleScope, ServiceScope } from './roles';

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

/**
 * Another service, through a service account's token: it holds scopes, not a role, and acts in
 * every deployment of its organisation (`scope: 'organisation'`) or only in `deploymentIds`.
 */
export interface ServicePrincipal extends TokenCutOff {
  kind: 'service';
  id: string;
  name: string;
  organisationId: string;
  scopes: readonly ServiceScope[];
  scope: RoleScope;
  deploymentIds: readonly string[];
}

export type Principal = StaffPrincipal | PatientPrincipal | ServicePrincipal;

/** Whoever acts on the organisation's data with its permission: a member of staff or a service account. */
export type Operator = StaffPrincipal | ServicePrincipal;

/** How an operator is named in the metadata of the events it causes. */
export function actorOf(operator: Operator): { type: 'staff' | 'service'; id: string } {
  return { type: operator.kind, id: operator.id };
}

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return principal.kind === 'staff' && principal.permissions.includes(permission);
}

export function hasServiceScope(principal: Principal, scope: ServiceScope): boolean {
  return principal.kind === 'service' && principal.scopes.includes(scope);
}
