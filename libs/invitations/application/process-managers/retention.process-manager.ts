import { Inject, Injectable } from '@nestjs/common';
import { ProcessorRunner } from '@app/event-processing';
import { IdentityDirectory } from '@app/identity';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { removePersonalData } from '../../domain/invitation';
import { invitationStreams } from '../../domain/invitation-events';
import { pastRetention } from '../../read-model/invitation-list.query';
import { InvitationRepository } from '../invitation-repository';
import { SystemDecision } from './system-decision';

const BATCH = 500;
const DAY_MS = 24 * 3600 * 1000;

/**
 * From a deployment's retention setting to InvitationPersonalDataRemoved: what the read model lists as
 * ended long enough ago, each aggregate decides. The shredding itself follows the event (the
 * invitation's key, the lists, the mail tables), in each context's own processor.
 */
@Injectable()
export class RetentionProcessManager {
  /** This instance removed data whose old copies the database may still hold in free space or its log. */
  private unforgotten = false;

  constructor(
    private readonly repository: InvitationRepository,
    private readonly decide: SystemDecision,
    private readonly directory: IdentityDirectory,
    private readonly runner: ProcessorRunner,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
  ) {}

  async run(now: Date): Promise<number> {
    await this.forgetOnceShredded();
    let total = 0;
    for (const { deploymentId, retentionDays } of await this.directory.retentionPolicies()) {
      const endedBy = new Date(now.getTime() - retentionDays * DAY_MS);
      for (;;) {
        const due = await pastRetention(this.db, deploymentId, endedBy, BATCH);
        let changed = 0;
        for (const id of due)
          changed += await this.decide.run(
            invitationStreams.invitation(id),
            () => this.repository.invitation(id),
            (s) => removePersonalData(s, retentionDays, now),
            now,
          );
        total += changed;
        // The read model lags our own writes: what it still lists waits for the next run.
        if (due.length < BATCH || changed === 0) break;
      }
    }
    if (total) this.unforgotten = true;
    return total;
  }

  /**
   * Once every processor has followed the removals (the key deleted, the lists and mail rows scrubbed),
   * the database lets go of the old copies (SQLite: its write-ahead log emptied), as erasure does.
   */
  private async forgetOnceShredded(): Promise<void> {
    if (!this.unforgotten || (await this.runner.status()).some((processor) => processor.behind)) return;
    await this.db.forgetDeleted();
    this.unforgotten = false;
  }
}
