import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CLOCK, type Clock } from '@app/clock';
import type { Operator } from '@app/identity';
import { DeploymentDefaults } from '../deployment-defaults';
import { invitationStreams } from '../../domain/invitation-events';
import { generateLink } from '../../domain/invitation-link';
import { InvitationTokens } from '../invitation-tokens';
import { operatorContext } from '../operator-context';
import { InvitationRepository, newNonce } from '../invitation-repository';

export interface GeneratedLink {
  id: string;
  deploymentId: string;
  url: string;
  expiresAt: string;
  status: 'active';
}

export class GenerateLink extends Command<GeneratedLink> {
  constructor(
    readonly principal: Operator,
    readonly deploymentId: string,
    readonly expiresIn: unknown,
    readonly correlationId: string,
  ) {
    super();
  }
}

@CommandHandler(GenerateLink)
export class GenerateLinkHandler implements ICommandHandler<GenerateLink> {
  constructor(
    private readonly repository: InvitationRepository,
    private readonly tokens: InvitationTokens,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly defaults: DeploymentDefaults,
  ) {}

  async execute({ principal, deploymentId, expiresIn, correlationId }: GenerateLink): Promise<GeneratedLink> {
    const window = await this.defaults.expiryWindow(deploymentId, expiresIn);
    const context = operatorContext(principal, correlationId, this.clock.now(), deploymentId);
    const linkId = randomUUID();
    const nonce = newNonce();
    const events = generateLink(linkId, deploymentId, window, nonce, context.now);
    // A new stream under a fresh id: nothing to load first.
    return this.repository.handleCommand(async () => ({
      appends: [this.repository.append(invitationStreams.link(linkId), events, 'no_stream', context)],
      result: {
        id: linkId,
        deploymentId,
        url: this.tokens.shareableUrl(linkId, nonce),
        expiresAt: events[0].data.expiresAt,
        status: 'active' as const,
      },
    }));
  }
}
