import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/clock';
import {
  applyDecided,
  EVENT_STORE,
  type EventStore,
  handleCommand,
  requestContext,
  toNewEvents,
} from '@app/event-store';
import { IdentityError } from '../../domain/identity-error';
import { evolveStaff, type IdentityEvent, streams } from '../../domain/identity-events';
import type { StaffPrincipal } from '../../domain/principal';
import { reassignStaffRole, renameStaff } from '../../domain/staff-account';
import { DeploymentAccess } from '../deployment-access';
import { IdentityDirectory } from '../identity-directory';
import { StaffAccess } from './staff-access';
import { staffView, type StaffView } from './staff-view';

export interface StaffChanges {
  name?: string;
  role?: string;
  deploymentIds?: string[];
}

export class UpdateStaff extends Command<StaffView> {
  constructor(
    readonly manager: StaffPrincipal,
    readonly staffId: string,
    readonly changes: StaffChanges,
    readonly correlationId: string,
  ) {
    super();
  }
}

/** A new name, role or deployment scope; the role within what the manager holds. */
@CommandHandler(UpdateStaff)
export class UpdateStaffHandler implements ICommandHandler<UpdateStaff> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly staff: StaffAccess,
    private readonly directory: IdentityDirectory,
    private readonly access: DeploymentAccess,
  ) {}

  execute({ manager, staffId, changes, correlationId }: UpdateStaff): Promise<StaffView> {
    return handleCommand(this.store, async () => {
      const { state, revision, role } = await this.staff.load(manager, staffId);
      const events: IdentityEvent[] = changes.name === undefined ? [] : renameStaff(state, changes.name);
      if (changes.role !== undefined || changes.deploymentIds !== undefined) {
        const next = changes.role === undefined ? role : await this.directory.role(changes.role);
        if (!next) throw new IdentityError('unknown_role', `No role named ${changes.role}`, 'role');
        const deploymentIds = changes.deploymentIds ?? (next.scope === 'organisation' ? [] : state.deploymentIds);
        const knownDeployments = new Set<string>();
        for (const id of new Set(deploymentIds)) if (await this.access.canActIn(manager, id)) knownDeployments.add(id);
        events.push(...reassignStaffRole(manager, state, { current: role, next, deploymentIds, knownDeployments }));
      }
      const context = requestContext({ type: 'staff', id: manager.id }, correlationId, this.clock.now());
      return {
        appends: [{ stream: streams.staff(staffId), expectedRevision: revision, events: toNewEvents(events, context) }],
        result: staffView(applyDecided(state, events, context, evolveStaff) ?? state),
      };
    });
  }
}
