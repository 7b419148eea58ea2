import FormData from 'form-data';
import Mailgun from 'mailgun.js';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { formatExpiry, type MailTemplates, variablesFor } from '../mail-templates';
import { fromHeader } from '../sender';
import { withoutAddresses } from '../without-addresses';
import type { MailBatch, MailLinks, MailTransport, SendResult } from '../mail-transport';

export interface MailgunSettings {
  apiKey: string;
  domain: string;
  /** Region endpoint: https://api.eu.mailgun.net or https://api.mailgun.net. */
  url: string;
  from: string;
  downloadUrl: string;
  /** How long one call may take before it counts as a network failure (and is retried). */
  timeoutMs?: number;
  /** Mailgun's webhook signing key: with it, POST /api/webhooks/mailgun takes bounces and complaints. */
  webhookSigningKey?: string;
}

const RESPONSE_CHANNEL = 'http.client.response.finish';

/**
 * mailgun.js, one batch message per call with recipient variables (Mailgun takes up to 1,000
 * recipients a call), so 10,000 invitations are 10 calls. mailgun.js's errors keep the status but
 * not the headers, so Retry-After is read from Node's own diagnostics channel for our request.
 */
export class MailgunTransport implements MailTransport {
  readonly name = 'mailgun' as const;
  readonly maxBatch = 1000;
  private readonly client;
  private readonly messagesPath: string;
  private lastRetryAfter: string | undefined;
  /** Whether Mailgun answered at all: mailgun.js reports a refused or dropped connection as status 400. */
  private answered = false;
  private readonly onResponse = (message: unknown) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    if (!request.path?.startsWith(this.messagesPath)) return;
    this.answered = true;
    this.lastRetryAfter = header(response.headers['retry-after']);
  };

  constructor(
    private readonly settings: MailgunSettings,
    private readonly templates: MailTemplates,
    private readonly links: MailLinks,
  ) {
    this.client = new Mailgun(FormData).client({
      username: 'api',
      key: settings.apiKey,
      url: settings.url,
      timeout: settings.timeoutMs ?? 30_000,
    });
    this.messagesPath = `/v3/${settings.domain}/messages`;
    subscribe(RESPONSE_CHANNEL, this.onResponse);
  }

  close(): void {
    unsubscribe(RESPONSE_CHANNEL, this.onResponse);
  }

  async send(batch: MailBatch): Promise<Map<string, SendResult>> {
    const { deployment } = batch;
    const mail = this.templates.render(
      batch.template,
      variablesFor(deployment, this.settings.downloadUrl, '%recipient.link%', '%recipient.expiresAt%'),
    );
    const variables = Object.fromEntries(
      batch.recipients.map((r) => [
        r.to,
        {
          link: r.linkRef ? this.links.url(r.linkRef) : '',
          expiresAt: r.expiresAt ? formatExpiry(r.expiresAt, deployment.language, deployment.timeZone) : '',
          mailId: r.mailId,
        },
      ]),
    );
    const all = (result: SendResult) => new Map(batch.recipients.map((r) => [r.mailId, result]));
    this.lastRetryAfter = undefined;
    this.answered = false;
    try {
      const response = await this.client.messages.create(this.settings.domain, {
        from: fromHeader(this.settings.from, deployment.senderName),
        ...(deployment.replyTo ? { 'h:Reply-To': deployment.replyTo } : {}),
        to: batch.recipients.map((r) => r.to),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        'recipient-variables': JSON.stringify(variables),
        'o:tag': [batch.template],
        // Comes back in webhooks (user-variables): which email a bounce or complaint is about.
        'v:mailId': '%recipient.mailId%',
      });
      return all({ status: 'sent', messageId: response.id ?? 'mailgun' });
    } catch (error) {
      const {
        status = 0,
        message = '',
        details = '',
      } = error as { status?: number; message?: string; details?: string };
      if (!this.answered) {
        // Refused, reset, timed out: nothing reached Mailgun's answer, so the email may go again, later.
        return all({
          status: 'retry',
          reason: `No answer from Mailgun: ${[message, details].filter(Boolean).join(': ')}`.slice(0, 500),
        });
      }
      const answer = [message, details].filter(Boolean).join(': ');
      const reason = withoutAddresses(`Mailgun answered ${status || 'no response'}: ${answer}`).slice(0, 500);
      if (status === 429) return all({ status: 'retry', reason, retryAfterMs: retryAfterMs(this.lastRetryAfter) });
      if (status === 0 || status >= 500 || status === 408) return all({ status: 'retry', reason });
      return all({ status: 'failed', reason });
    }
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Delay-seconds, or an HTTP date (each of its three forms names a day or month; Date.parse alone takes "1.5"). */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  if (!/[A-Za-z]{3}/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
