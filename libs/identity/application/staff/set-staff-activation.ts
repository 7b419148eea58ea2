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
import { evolveStaff, streams } from '../../domain/identity-events';
import type { StaffPrincipal } from '../../domain/principal';
import { deactivateStaff, reactivateStaff } from '../../domain/staff-account';
import { StaffAccess } from './staff-access';
import { staffView, type StaffView } from './staff-view';

export class SetStaffActivation extends Command<StaffView> {
  constructor(
    readonly manager: StaffPrincipal,
    readonly staffId: string,
    readonly active: boolean,
    readonly correlationId: string,
  ) {
    super();
  }
}

/**
 * Switches a member of staff off or on again. Every request loads its caller from their stream, so
 * a deactivated member's tokens are refused on their next request, on every instance.
 */
@CommandHandler(SetStaffActivation)
export class SetStaffActivationHandler implements ICommandHandler<SetStaffActivation> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly staff: StaffAccess,
  ) {}

  execute({ manager, staffId, active, correlationId }: SetStaffActivation): Promise<StaffView> {
    return handleCommand(this.store, async () => {
      const { state, revision, role } = await this.staff.load(manager, staffId);
      const events = active ? reactivateStaff(manager, state, role) : deactivateStaff(manager, state, role);
      const context = requestContext({ type: 'staff', id: manager.id }, correlationId, this.clock.now());
      return {
        appends: [{ stream: streams.staff(staffId), expectedRevision: revision, events: toNewEvents(events, context) }],
        result: staffView(applyDecided(state, events, context, evolveStaff) ?? state),
      };
    });
  }
}
