import { checkGrant } from './grant-rules';
import { IdentityError } from './identity-error';
import { type IdentityEvent, type StaffState, streams } from './identity-events';
import type { NewStream } from './new-streams';
import type { StaffPrincipal } from './principal';
import type { Permission, RoleDefinition } from './roles';

export interface StaffAccountRequest {
  staffId: string;
  /** Already validated and normalised. */
  email: string;
  role: RoleDefinition & { id: string | null };
  deploymentIds: readonly string[];
  /** The requested deployments that exist and that the grantor may act in. */
  knownDeployments: ReadonlySet<string>;
  name?: string;
}

/** A staff account with its role, granted within what the grantor holds; the address is reserved with it. */
export function createStaffAccount(grantor: StaffPrincipal, request: StaffAccountRequest): NewStream[] {
  const deploymentIds = [...new Set(request.deploymentIds)];
  checkGrant(grantor, request.role, deploymentIds, request.knownDeployments);
  return staffAccountStreams({ ...request, deploymentIds, organisationId: grantor.organisationId });
}

export interface NewStaffAccount {
  staffId: string;
  email: string;
  organisationId: string;
  role: { name: string; id: string | null; scope: RoleDefinition['scope']; permissions: readonly Permission[] };
  deploymentIds: readonly string[];
  name?: string | null;
}

/** The streams a new staff account is made of: its address reserved, the account, its role, its name. */
export function staffAccountStreams(account: NewStaffAccount): NewStream[] {
  const { staffId, email, organisationId, role } = account;
  const name = account.name?.trim();
  return [
    {
      stream: streams.emailReservation('staff', email),
      events: [{ type: 'EmailAddressReserved', data: { accountId: staffId, kind: 'staff' } }],
    },
    {
      stream: streams.staff(staffId),
      events: [
        { type: 'StaffAccountCreated', data: { staffId, email, organisationId } },
        {
          type: 'StaffRoleAssigned',
          data: {
            staffId,
            role: role.name,
            roleId: role.id,
            scope: role.scope,
            deploymentIds: role.scope === 'organisation' ? [] : [...account.deploymentIds],
            permissions: [...role.permissions],
          },
        },
        ...(name ? [{ type: 'StaffRenamed' as const, data: { staffId, name } }] : []),
      ],
    },
  ];
}

/**
 * Managers see the staff they could manage: everyone for an organisation-wide role, else staff within their
 * deployments.
 */
export function canSee(manager: StaffPrincipal, staff: StaffState): boolean {
  if (manager.scope === 'organisation') return true;
  return staff.scope === 'deployments' && staff.deploymentIds.every((id) => manager.deploymentIds.includes(id));
}

/** Nobody manages what they could not have granted, nor takes away their own access. */
function checkManageable(manager: StaffPrincipal, staff: StaffState, role: RoleDefinition): void {
  if (staff.id === manager.id)
    throw new IdentityError('cannot_manage_self', 'You cannot change your own role or deactivate yourself');
  const deploymentIds = staff.scope === 'organisation' ? [] : staff.deploymentIds;
  checkGrant(
    manager,
    role,
    deploymentIds,
    new Set(deploymentIds.filter((id) => manager.deploymentIds.includes(id) || manager.scope === 'organisation')),
  );
}

export function renameStaff(staff: StaffState, name: string): IdentityEvent[] {
  const trimmed = name.trim();
  if (!trimmed) throw new IdentityError('invalid_name', 'A name is needed', 'name');
  return trimmed === staff.name ? [] : [{ type: 'StaffRenamed', data: { staffId: staff.id, name: trimmed } }];
}

export interface RoleChange {
  /** The role held now, and the one asked for. */
  current: RoleDefinition;
  next: RoleDefinition & { id: string | null };
  deploymentIds: readonly string[];
  /** The requested deployments that exist and that the manager may act in. */
  knownDeployments: ReadonlySet<string>;
}

/** A new role or scope, within what the manager holds; the same role and scope again changes nothing. */
export function reassignStaffRole(manager: StaffPrincipal, staff: StaffState, change: RoleChange): IdentityEvent[] {
  checkManageable(manager, staff, change.current);
  const deploymentIds = [...new Set(change.deploymentIds)];
  checkGrant(manager, change.next, deploymentIds, change.knownDeployments);
  const same =
    staff.role === change.next.name &&
    staff.roleId === change.next.id &&
    staff.deploymentIds.length === deploymentIds.length &&
    deploymentIds.every((id) => staff.deploymentIds.includes(id));
  if (same) return [];
  const { name, id, scope, permissions } = change.next;
  const data = { staffId: staff.id, role: name, roleId: id, scope, deploymentIds, permissions: [...permissions] };
  return [{ type: 'StaffRoleAssigned', data }];
}

export function deactivateStaff(manager: StaffPrincipal, staff: StaffState, role: RoleDefinition): IdentityEvent[] {
  checkManageable(manager, staff, role);
  return staff.active ? [{ type: 'StaffDeactivated', data: { staffId: staff.id } }] : [];
}

export function reactivateStaff(manager: StaffPrincipal, staff: StaffState, role: RoleDefinition): IdentityEvent[] {
  checkManageable(manager, staff, role);
  return staff.active ? [] : [{ type: 'StaffReactivated', data: { staffId: staff.id } }];
}
