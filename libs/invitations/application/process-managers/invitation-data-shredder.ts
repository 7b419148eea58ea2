import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { RecordedEvent } from '@app/event-store';
import { type Processor, ProcessorRunner } from '@app/event-processing';
import { PersonalDataVault } from '@app/personal-data';
import type { SqlExecutor } from '@app/sql';
import { invitationDataScope, InvitationEvents, invitationEventOf } from '../../domain/invitation-events';

/**
 * Follows InvitationPersonalDataRemoved: deletes the key the invitation's copy of the address was
 * sealed under, in the transaction of its checkpoint, so a crash can neither skip nor half-do it. The
 * person's other data (their account, other invitations) is under other keys and stays readable.
 */
@Injectable()
export class InvitationDataShredder implements Processor, OnModuleInit {
  readonly name = 'invitation-data-shredder';
  readonly filter = { types: [InvitationEvents.InvitationPersonalDataRemoved] };

  constructor(
    private readonly vault: PersonalDataVault,
    private readonly runner: ProcessorRunner,
  ) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async handle(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const recorded of events) {
      const event = invitationEventOf(recorded);
      if (event?.type === InvitationEvents.InvitationPersonalDataRemoved)
        await this.vault.eraseScope(tx, invitationDataScope(event.data.invitationId));
    }
  }
}
