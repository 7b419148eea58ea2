import type { SqlDatabase } from '@app/sql';
import { formatExpiry, type MailTemplates, type TemplateName, variablesFor } from '../mail-templates';
import {
  type LinkRef,
  type MailBatch,
  type MailDeployment,
  mailDeployment,
  type MailLinks,
  type MailTransport,
  type SendResult,
} from '../mail-transport';
import { fromHeader } from '../sender';

interface OutboxRow {
  id: string;
  recipient: string;
  template: TemplateName;
  deployment_name: string;
  /** The deployment's settings the email was sent with (JSON); null before they were kept. */
  deployment: string | null;
  expires_at: string | null;
  link_ref: string | null;
  sent_at: string;
}

/**
 * The development transport: "sent" means stored in the service's own database. It keeps what the
 * email is made of, not the email: the link is rebuilt when the outbox is read, so no token is
 * ever written to disk.
 */
export class OutboxTransport implements MailTransport {
  readonly name = 'outbox' as const;
  readonly maxBatch = 1000;

  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => Date,
  ) {}

  async send(batch: MailBatch): Promise<Map<string, SendResult>> {
    const sentAt = this.now().toISOString();
    await this.db.transaction(async (tx) => {
      for (const r of batch.recipients) {
        await tx.execute(
          `INSERT INTO outbox_messages (id, recipient, template, deployment_name, deployment, expires_at, link_ref,
             sent_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
          [
            r.mailId,
            r.to,
            batch.template,
            batch.deployment.name,
            JSON.stringify(batch.deployment),
            r.expiresAt ?? null,
            r.linkRef ? JSON.stringify(r.linkRef) : null,
            sentAt,
          ],
        );
      }
    });
    return new Map(batch.recipients.map((r) => [r.mailId, { status: 'sent', messageId: `outbox:${r.mailId}` }]));
  }
}

export interface OutboxPage {
  to?: string;
  limit: number;
  /** The `nextCursor` of the page before: messages delivered before it. */
  cursor?: string;
}

/** GET /api/dev/outbox: newest first (delivery order), by cursor, rendered now, links rebuilt by the key holder. */
export async function readOutbox(
  db: SqlDatabase,
  templates: MailTemplates,
  links: MailLinks,
  sender: { from: string; downloadUrl: string },
  page: OutboxPage,
) {
  const before = page.cursor === undefined ? 0 : Number(page.cursor);
  const rows = await db.query<OutboxRow & { seq: number | string }>(
    `SELECT seq, id, recipient, template, deployment_name, deployment, expires_at, link_ref, sent_at
     FROM outbox_messages
     WHERE ($1 = '' OR recipient = $1) AND ($2 = 0 OR seq < $2) ORDER BY seq DESC LIMIT ${page.limit + 1}`,
    [page.to?.trim().toLowerCase() ?? '', before],
  );
  const shown = rows.slice(0, page.limit);
  return {
    nextCursor: rows.length > page.limit ? String(shown[shown.length - 1].seq) : null,
    messages: shown.map((row) => {
      const ref = row.link_ref ? (JSON.parse(row.link_ref) as LinkRef) : undefined;
      const deployment = row.deployment
        ? (JSON.parse(row.deployment) as MailDeployment)
        : mailDeployment(row.deployment_name);
      const expiresAt = row.expires_at
        ? formatExpiry(row.expires_at, deployment.language, deployment.timeZone)
        : undefined;
      const mail = templates.render(
        row.template,
        variablesFor(deployment, sender.downloadUrl, ref && links.url(ref), expiresAt),
      );
      return {
        id: row.id,
        from: fromHeader(sender.from, deployment.senderName),
        replyTo: deployment.replyTo,
        to: row.recipient,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        template: row.template,
        sentAt: row.sent_at,
      };
    }),
  };
}
