import { Inject, Injectable } from '@nestjs/common';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { markReminderDue } from '../../domain/invitation';
import { invitationStreams } from '../../domain/invitation-events';
import { dueForReminder } from '../../read-model/invitation-list.query';
import { linksExpiringWithin } from '../../read-model/invitation-link-list.query';
import { InvitationRepository } from '../invitation-repository';
import { SystemDecision } from './system-decision';

const DAY_MS = 24 * 3600 * 1000;

/**
 * From a shareable link nearing its end to reminder emails: 24 h before a link expires, each pending
 * sign-up issued more than 24 h before that moment is marked due (once per expiry); the
 * invitation-emails process manager sends it.
 */
@Injectable()
export class LinkRemindersProcessManager {
  constructor(
    private readonly repository: InvitationRepository,
    private readonly decide: SystemDecision,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
  ) {}

  async run(now: Date): Promise<number> {
    let changed = 0;
    for (const link of await linksExpiringWithin(this.db, now, new Date(now.getTime() + DAY_MS))) {
      const issuedBefore = new Date(Date.parse(link.expires_at) - 2 * DAY_MS).toISOString();
      for (const id of await dueForReminder(this.db, link.id, issuedBefore, link.expires_at))
        changed += await this.decide.run(
          invitationStreams.invitation(id),
          () => this.repository.invitation(id),
          (s) => markReminderDue(s, link.expires_at),
          now,
        );
    }
    return changed;
  }
}
