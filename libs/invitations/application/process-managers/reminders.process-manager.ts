import { Inject, Injectable } from '@nestjs/common';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { markReminderDue } from '../../domain/invitation';
import { invitationStreams } from '../../domain/invitation-events';
import { type ReminderDue, remindersDue } from '../../read-model/invitation-list.query';
import { DeploymentDefaults } from '../deployment-defaults';
import { InvitationRepository } from '../invitation-repository';
import { SystemDecision } from './system-decision';

/**
 * From an invitation nearing its end to a reminder email: 24 h before it expires, a pending
 * invitation whose last email went out before that mark is marked due, once per expiry; the
 * invitation-emails process manager sends it. Sign-ups through a shareable link expire with the link,
 * so they are reminded 24 h before the link expires; personal invitations 24 h before their own expiry,
 * where the deployment's `remindPersonalInvitations` setting is on (the default).
 */
@Injectable()
export class RemindersProcessManager {
  constructor(
    private readonly repository: InvitationRepository,
    private readonly decide: SystemDecision,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly defaults: DeploymentDefaults,
  ) {}

  async run(now: Date): Promise<number> {
    let changed = 0;
    for (const due of await this.wanted(await remindersDue(this.db, now)))
      changed += await this.decide.run(
        invitationStreams.invitation(due.id),
        () => this.repository.invitation(due.id),
        (s) => markReminderDue(s, due.expires_at),
        now,
      );
    return changed;
  }

  /** Personal invitations are reminded only where the deployment's remindPersonalInvitations is on. */
  private async wanted(due: ReminderDue[]): Promise<ReminderDue[]> {
    const reminds = new Map<string, boolean>();
    for (const id of new Set(due.filter((d) => d.channel === 'email').map((d) => d.deployment_id)))
      reminds.set(id, (await this.defaults.settings(id)).remindPersonalInvitations);
    return due.filter((d) => d.channel !== 'email' || reminds.get(d.deployment_id));
  }
}
