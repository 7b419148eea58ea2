import { IdentityError } from './identity-error';
import { streams } from './identity-events';
import type { NewStream } from './new-streams';
import type { StaffPrincipal } from './principal';
import { isPermission, type Permission, RESERVED_ROLE_NAMES } from './roles';

export interface CustomRoleRequest {
  roleId: string;
  name: string;
  permissions: readonly string[];
}

/**
 * A role the organisation defines: not named like a built-in one (in any case), made of known
 * permissions, each held by whoever creates it. Its name stream keeps names unique.
 */
export function createCustomRole(actor: StaffPrincipal, request: CustomRoleRequest): NewStream[] {
  const name = request.name.trim();
  if (RESERVED_ROLE_NAMES.some((reserved) => reserved.toLowerCase() === name.toLowerCase()))
    throw new IdentityError('role_exists', `${name} is a built-in role`, 'name');
  const permissions = [...new Set(request.permissions)];
  if (!permissions.every(isPermission)) throw new IdentityError('unknown_role', 'Unknown permission', 'permissions');
  const missing = permissions.filter((p) => !actor.permissions.includes(p as Permission));
  if (missing.length)
    throw new IdentityError('cannot_grant_role', `You do not hold ${missing.join(', ')}`, 'permissions');
  const { roleId } = request;
  return [
    { stream: streams.roleName(name), events: [{ type: 'RoleNameReserved', data: { roleId } }] },
    {
      stream: streams.role(roleId),
      events: [
        {
          type: 'RoleCreated',
          data: { roleId, organisationId: actor.organisationId, name, permissions: permissions as Permission[] },
        },
      ],
    },
  ];
}
