import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@app/clock';
import {
  deterministicId,
  EVENT_STORE,
  type EventStore,
  foldStream,
  handleCommand,
  systemContext,
  toNewEvents,
} from '@app/event-store';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import type { MailEvent } from '../mail-events';
import type { DeliveryReport } from './mailgun-report';

/** What became of a report: recorded, a repeat of one already recorded, about no email of ours, or too early. */
export type ReportOutcome = 'recorded' | 'repeated' | 'unknown_mail' | 'not_yet_sent';

interface MailStreamState {
  /** The send's own outcome: what a report is about. */
  sent: { invitationId: string | null; template: string; transport: string } | null;
  reported: Set<string>;
}

/**
 * Provider reports (bounces, complaints) as events on the email's own stream, after its MailSent,
 * once per provider event: the stream is read, a report already there records nothing, and the
 * append is at the revision read (a concurrent repeat conflicts and then finds it there).
 */
@Injectable()
export class DeliveryReports {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async record(report: DeliveryReport): Promise<ReportOutcome> {
    const mail = await this.mailOf(report);
    if (!mail) return 'unknown_mail';
    const stream = `mail-${mail.event_id}`;
    return handleCommand<ReportOutcome>(this.store, async () => {
      const { state, revision } = await foldStream<MailStreamState>(this.store, stream, EMPTY, evolve);
      if (!state.sent || revision === null) return { appends: [], result: 'not_yet_sent' };
      if (state.reported.has(report.providerEventId)) return { appends: [], result: 'repeated' };
      const event: MailEvent = {
        type: report.kind === 'bounced' ? 'MailBounced' : 'MailComplained',
        data: { mailId: mail.event_id, ...state.sent, reason: report.reason, providerEventId: report.providerEventId },
      };
      const context = { ...systemContext(this.clock.now()), deploymentId: mail.deployment_id };
      const ids = [deterministicId('mail-report', report.providerEventId)];
      return {
        appends: [{ stream, expectedRevision: revision, events: toNewEvents([event], context, ids) }],
        result: 'recorded',
      };
    });
  }

  /** The queued email a report is about; its recipient must be the one reported. */
  private async mailOf(report: DeliveryReport): Promise<{ event_id: string; deployment_id: string } | null> {
    const rows = report.mailId
      ? await this.db.query<{ event_id: string; deployment_id: string }>(
          'SELECT event_id, deployment_id FROM mail_queue WHERE event_id = $1 AND recipient = $2',
          [report.mailId, report.recipient],
        )
      : report.messageId
        ? await this.db.query<{ event_id: string; deployment_id: string }>(
            'SELECT event_id, deployment_id FROM mail_queue WHERE message_id IN ($1, $2) AND recipient = $3',
            [report.messageId, `<${report.messageId}>`, report.recipient],
          )
        : [];
    return rows[0] ?? null;
  }
}

const EMPTY: MailStreamState = { sent: null, reported: new Set() };

function evolve(state: MailStreamState, event: { type: string; data: Record<string, unknown> }): MailStreamState {
  const data = event.data;
  if (event.type === 'MailSent')
    return {
      ...state,
      sent: {
        invitationId: typeof data.invitationId === 'string' ? data.invitationId : null,
        template: String(data.template),
        transport: String(data.transport),
      },
    };
  if (typeof data.providerEventId === 'string')
    return { ...state, reported: new Set([...state.reported, data.providerEventId]) };
  return state;
}
