import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CLOCK, type Clock } from '@app/clock';
import { EVENT_STORE, type EventStore, handleCommand, requestContext } from '@app/event-store';
import { createCustomRole } from '../../domain/custom-role';
import { IdentityError } from '../../domain/identity-error';
import type { StaffPrincipal } from '../../domain/principal';
import type { Permission } from '../../domain/roles';
import { newStreamAppends } from '../new-stream-appends';

export interface CreatedRole {
  name: string;
  permissions: Permission[];
}

export class CreateCustomRole extends Command<CreatedRole> {
  constructor(
    readonly actor: StaffPrincipal,
    readonly name: string,
    readonly permissions: string[],
    readonly correlationId: string,
  ) {
    super();
  }
}

@CommandHandler(CreateCustomRole)
export class CreateCustomRoleHandler implements ICommandHandler<CreateCustomRole> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ actor, name, permissions, correlationId }: CreateCustomRole): Promise<CreatedRole> {
    const trimmed = name.trim();
    return handleCommand(
      this.store,
      async () => {
        const decided = createCustomRole(actor, { roleId: randomUUID(), name, permissions });
        const context = requestContext({ type: 'staff', id: actor.id }, correlationId, this.clock.now());
        return {
          appends: newStreamAppends(decided, context),
          result: { name: trimmed, permissions: [...new Set(permissions)] as Permission[] },
        };
      },
      {
        // The name's stream exists: deciding again cannot change that.
        attempts: 1,
        onConflict: () => {
          throw new IdentityError('role_exists', `A role named ${trimmed} exists`, 'name');
        },
      },
    );
  }
}
