import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore, foldStream } from '@app/event-store';
import { IdentityError } from '../../domain/identity-error';
import { evolveStaff, type StaffState, streams } from '../../domain/identity-events';
import type { StaffPrincipal } from '../../domain/principal';
import type { RoleDefinition } from '../../domain/roles';
import { canSee } from '../../domain/staff-account';
import { IdentityDirectory } from '../identity-directory';

export interface LoadedStaff {
  state: StaffState;
  revision: bigint;
  /** The role the member holds now. */
  role: RoleDefinition & { id: string | null };
}

/** Loads a member of staff for a manager: one the manager may not see does not exist (404). */
@Injectable()
export class StaffAccess {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: IdentityDirectory,
  ) {}

  async load(manager: StaffPrincipal, staffId: string): Promise<LoadedStaff> {
    const { state, revision } = await foldStream<StaffState | null>(
      this.store,
      streams.staff(staffId),
      null,
      evolveStaff,
    );
    if (!state || revision === null || !canSee(manager, state))
      throw new IdentityError('staff_not_found', 'No such member of staff');
    const role = await this.directory.role(state.role, state.roleId);
    if (!role) throw new IdentityError('staff_not_found', 'No such member of staff');
    return { state, revision, role };
  }
}
