import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CLOCK, type Clock } from '@app/clock';
import { EVENT_STORE, type EventStore, handleCommand, requestContext } from '@app/event-store';
import { createDeployment } from '../../domain/organisation';
import type { StaffPrincipal } from '../../domain/principal';
import { newStreamAppends } from '../new-stream-appends';

export class CreateDeployment extends Command<{ id: string; name: string }> {
  constructor(
    readonly actor: StaffPrincipal,
    readonly name: string,
    readonly correlationId: string,
  ) {
    super();
  }
}

@CommandHandler(CreateDeployment)
export class CreateDeploymentHandler implements ICommandHandler<CreateDeployment> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ actor, name, correlationId }: CreateDeployment): Promise<{ id: string; name: string }> {
    return handleCommand(this.store, async () => {
      const deploymentId = randomUUID();
      const decided = createDeployment(actor, deploymentId, name);
      const context = requestContext({ type: 'staff', id: actor.id }, correlationId, this.clock.now());
      return { appends: newStreamAppends(decided, context), result: { id: deploymentId, name: name.trim() } };
    });
  }
}
