import { Inject, Injectable } from '@nestjs/common';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { expire } from '../../domain/invitation';
import { invitationStreams } from '../../domain/invitation-events';
import { expireLink } from '../../domain/invitation-link';
import { dueForExpiry } from '../../read-model/invitation-list.query';
import { linksPastExpiry } from '../../read-model/invitation-link-list.query';
import { InvitationRepository } from '../invitation-repository';
import { SystemDecision } from './system-decision';

const BATCH = 500;

/**
 * From the passing of time to InvitationExpired and InvitationLinkExpired: what the read model lists as due,
 * each aggregate decides.
 */
@Injectable()
export class ExpiryProcessManager {
  constructor(
    private readonly repository: InvitationRepository,
    private readonly decide: SystemDecision,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
  ) {}

  async run(now: Date): Promise<number> {
    return (await this.expireInvitations(now)) + (await this.expireLinks(now));
  }

  private async expireInvitations(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const due = await dueForExpiry(this.db, now, BATCH);
      let changed = 0;
      for (const id of due)
        changed += await this.decide.run(
          invitationStreams.invitation(id),
          () => this.repository.invitation(id),
          (s) => expire(s, now),
          now,
        );
      total += changed;
      // The read model lags our own writes: what is still listed as pending waits for the next run.
      if (due.length < BATCH || changed === 0) return total;
    }
  }

  private async expireLinks(now: Date): Promise<number> {
    let changed = 0;
    for (const id of await linksPastExpiry(this.db, now))
      changed += await this.decide.run(
        invitationStreams.link(id),
        () => this.repository.link(id),
        (s) => expireLink(s, now),
        now,
      );
    return changed;
  }
}
