import { Inject, Injectable } from '@nestjs/common';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { markReminderDue } from '../../domain/invitation';
import { invitationStreams } from '../../domain/invitation-events';
import { remindersDue } from '../../read-model/invitation-list.query';
import { InvitationRepository } from '../invitation-repository';
import { SystemDecision } from './system-decision';

/**
 * From an invitation nearing its end to a reminder email: 24 h before it expires, a pending
 * invitation whose last email went out before that mark is marked due, once per expiry; the
 * invitation-emails process manager sends it. Sign-ups through a shareable link expire with the link,
 * so they are reminded 24 h before the link expires; personal invitations 24 h before their own expiry.
 */
@Injectable()
export class RemindersProcessManager {
  constructor(
    private readonly repository: InvitationRepository,
    private readonly decide: SystemDecision,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
  ) {}

  async run(now: Date): Promise<number> {
    let changed = 0;
    for (const due of await remindersDue(this.db, now))
      changed += await this.decide.run(
        invitationStreams.invitation(due.id),
        () => this.repository.invitation(due.id),
        (s) => markReminderDue(s, due.expires_at),
        now,
      );
    return changed;
  }
}
