import type { StaffState } from '../../domain/identity-events';
import type { RoleScope } from '../../domain/roles';

/** A member of staff as the directory shows them. */
export interface StaffView {
  id: string;
  email: string;
  name: string | null;
  roles: { name: string; scope: RoleScope; deploymentIds: string[] }[];
  status: 'active' | 'deactivated';
}

export function staffView(staff: StaffState): StaffView {
  return {
    id: staff.id,
    email: staff.email,
    name: staff.name,
    roles: [
      {
        name: staff.role,
        scope: staff.scope,
        deploymentIds: staff.scope === 'organisation' ? [] : staff.deploymentIds,
      },
    ],
    status: staff.active ? 'active' : 'deactivated',
  };
}
