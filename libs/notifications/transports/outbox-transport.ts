import type { SqlDatabase } from '@app/sql';
import { formatExpiry, type MailTemplates, type TemplateName } from '../mail-templates';
import type { LinkRef, MailBatch, MailLinks, MailTransport, SendResult } from '../mail-transport';

interface OutboxRow {
  id: string;
  recipient: string;
  template: TemplateName;
  deployment_name: string;
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
          `INSERT INTO outbox_messages (id, recipient, template, deployment_name, expires_at, link_ref, sent_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
          [
            r.mailId,
            r.to,
            batch.template,
            batch.deploymentName,
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

/** GET /api/dev/outbox: newest first (delivery order), rendered now, links rebuilt by the key holder. */
export async function readOutbox(
  db: SqlDatabase,
  templates: MailTemplates,
  links: MailLinks,
  downloadUrl: string,
  to?: string,
) {
  const rows = await db.query<OutboxRow>(
    `SELECT id, recipient, template, deployment_name, expires_at, link_ref, sent_at FROM outbox_messages
     WHERE ($1 = '' OR recipient = $1) ORDER BY seq DESC LIMIT 1000`,
    [to?.trim().toLowerCase() ?? ''],
  );
  return {
    messages: rows.map((row) => {
      const ref = row.link_ref ? (JSON.parse(row.link_ref) as LinkRef) : undefined;
      const mail = templates.render(row.template, {
        deploymentName: row.deployment_name,
        downloadUrl,
        ...(ref ? { link: links.url(ref) } : {}),
        ...(row.expires_at ? { expiresAt: formatExpiry(row.expires_at) } : {}),
      });
      return {
        id: row.id,
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
