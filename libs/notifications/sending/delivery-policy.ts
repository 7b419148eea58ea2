import type { MailEvent } from '../mail-events';
import type { SendResult } from '../mail-transport';
import type { QueuedMail } from './mail-queue';

/** What becomes of one queued email after a turn. */
export type Outcome =
  | { status: 'sent'; messageId: string }
  | { status: 'failed' | 'skipped'; reason: string }
  | { status: 'retry'; reason: string; at: Date };

export interface RetryPolicy {
  /** Attempts before an email is recorded as failed instead of blocking the queue. */
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
}

export const INTERRUPTED: Outcome = {
  status: 'failed',
  reason: 'interrupted while sending: it may or may not have been delivered',
};

export const CHANGED_BEFORE_SENDING: Outcome = {
  status: 'skipped',
  reason: 'the link changed before sending (replaced, used, deleted or expired)',
};

/**
 * A transport's answer for one email, after `attemptsBefore` earlier tries: retried with
 * exponential backoff and ±20 % jitter (never sooner than the provider's Retry-After), until the
 * attempts run out.
 */
export function outcomeOf(
  result: SendResult | undefined,
  attemptsBefore: number,
  policy: RetryPolicy,
  now: Date,
  random: () => number = Math.random,
): Outcome {
  if (!result) return { status: 'failed', reason: 'the transport gave no answer for this email' };
  if (result.status !== 'retry') return result;
  const attempts = attemptsBefore + 1;
  if (attempts >= policy.maxAttempts)
    return { status: 'failed', reason: `gave up after ${attempts} attempts: ${result.reason}` };
  const backoff = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** (attempts - 1));
  const wait = Math.max(result.retryAfterMs ?? 0, backoff * (0.8 + random() * 0.4));
  return { status: 'retry', reason: result.reason, at: new Date(now.getTime() + wait) };
}

/** The audit event of a settled email; a retry has none. */
export function outcomeEvent(row: QueuedMail, outcome: Outcome, transport: string): MailEvent | null {
  const about = { mailId: row.event_id, invitationId: row.invitation_id, template: row.template, transport };
  switch (outcome.status) {
    case 'sent':
      return { type: 'MailSent', data: { ...about, messageId: outcome.messageId } };
    case 'failed':
      return { type: 'MailFailed', data: { ...about, reason: outcome.reason } };
    case 'skipped':
      return { type: 'MailSkipped', data: { ...about, reason: outcome.reason } };
    case 'retry':
      return null;
  }
}
