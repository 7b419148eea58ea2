import { Injectable } from '@nestjs/common';
import { type DomainEvent, inDeployment, systemContext } from '@app/event-store';
import { InvitationRepository, type Loaded } from '../invitation-repository';

/**
 * How the process managers act: as the system, through handleCommand. The aggregate decides; after
 * a concurrent writer it is loaded again and refuses what is already done. Returns the events written.
 */
@Injectable()
export class SystemDecision {
  constructor(private readonly repository: InvitationRepository) {}

  run<S extends { deploymentId: string }>(
    stream: string,
    load: () => Promise<Loaded<S> | null>,
    decision: (state: S) => DomainEvent[],
    now: Date,
  ): Promise<number> {
    return this.repository.handleCommand(async () => {
      const loaded = await load();
      const events = loaded ? decision(loaded.state) : [];
      if (!loaded || !events.length) return { appends: [], result: 0 };
      const context = inDeployment(systemContext(now), loaded.state.deploymentId);
      return { appends: [this.repository.append(stream, events, loaded.revision, context)], result: events.length };
    });
  }
}
