import { withoutAddresses } from '../without-addresses';

/** The part of a Mailgun webhook's `event-data` this service reads (Mailgun's documented shape). */
export interface MailgunEventData {
  id?: unknown;
  event?: unknown;
  severity?: unknown;
  reason?: unknown;
  recipient?: unknown;
  message?: { headers?: { 'message-id'?: unknown } };
  'delivery-status'?: { code?: unknown; message?: unknown; description?: unknown };
  'user-variables'?: { mailId?: unknown };
}

/** A report worth recording: a permanent failure or a complaint about one of our emails. */
export interface DeliveryReport {
  kind: 'bounced' | 'complained';
  providerEventId: string;
  recipient: string;
  /** Set when the email carried it (`v:mailId`); otherwise the message id and the recipient find it. */
  mailId: string | null;
  messageId: string | null;
  reason: string;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : null);

/**
 * Mailgun's `failed` (permanent: Mailgun itself retries temporary ones) and `complained` events as
 * reports; every other event (delivered, opened, temporary failures …) is none. The provider's words
 * become the reason, without the recipient's address.
 */
export function deliveryReportOf(data: MailgunEventData): DeliveryReport | null {
  const providerEventId = text(data.id);
  const recipient = text(data.recipient)?.toLowerCase();
  if (!providerEventId || !recipient) return null;
  const found = {
    providerEventId,
    recipient,
    mailId: text(data['user-variables']?.mailId),
    messageId: text(data.message?.headers?.['message-id'])?.replace(/^<|>$/g, '') ?? null,
  };
  if (data.event === 'complained')
    return { kind: 'complained', ...found, reason: 'The recipient reported the email as spam.' };
  if (data.event !== 'failed' || data.severity !== 'permanent') return null;
  const status = data['delivery-status'] ?? {};
  const words = text(status.description) ?? text(status.message) ?? text(data.reason) ?? 'no reason given';
  const code = typeof status.code === 'number' || typeof status.code === 'string' ? `${status.code}: ` : '';
  const reason = `The recipient's mail server refused it (${code}${words})`;
  return { kind: 'bounced', ...found, reason: withoutAddresses(reason).slice(0, 500) };
}
