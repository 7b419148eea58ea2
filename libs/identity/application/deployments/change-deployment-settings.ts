import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/clock';
import {
  applyDecided,
  EVENT_STORE,
  type EventStore,
  foldStream,
  handleCommand,
  requestContext,
  toNewEvents,
} from '@app/event-store';
import {
  changeDeploymentSettings,
  type DeploymentSettings,
  type DeploymentSettingsChange,
} from '../../domain/deployment-settings';
import { IdentityError } from '../../domain/identity-error';
import { type DeploymentState, evolveDeployment, streams } from '../../domain/identity-events';
import type { StaffPrincipal } from '../../domain/principal';

export class ChangeDeploymentSettings extends Command<DeploymentSettings> {
  constructor(
    readonly actor: StaffPrincipal,
    readonly deploymentId: string,
    readonly change: DeploymentSettingsChange,
    readonly correlationId: string,
  ) {
    super();
  }
}

/** Some of a deployment's settings, recorded on its stream; the answer is every setting after the change. */
@CommandHandler(ChangeDeploymentSettings)
export class ChangeDeploymentSettingsHandler implements ICommandHandler<ChangeDeploymentSettings> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ actor, deploymentId, change, correlationId }: ChangeDeploymentSettings): Promise<DeploymentSettings> {
    return handleCommand(this.store, async () => {
      const stream = streams.deployment(deploymentId);
      const { state, revision } = await foldStream<DeploymentState | null>(this.store, stream, null, evolveDeployment);
      if (!state || revision === null) throw new IdentityError('deployment_not_found', 'No such deployment');
      const events = changeDeploymentSettings(deploymentId, state.settings, change);
      const context = requestContext({ type: 'staff', id: actor.id }, correlationId, this.clock.now());
      return {
        appends: [{ stream, expectedRevision: revision, events: toNewEvents(events, context) }],
        result: (applyDecided(state, events, context, evolveDeployment) ?? state).settings,
      };
    });
  }
}
