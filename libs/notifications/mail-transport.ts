import { DEFAULT_DEPLOYMENT_SETTINGS, type DeploymentSettings, type Language } from '@app/identity';
import type { TemplateName } from './mail-templates';

/** Where a personal link comes from: rebuilt at send time by whoever holds the key, never stored. */
export interface LinkRef {
  kind: 'invitation' | 'invitation-link' | 'staff-invitation' | 'staff-password-reset' | 'patient-password-reset';
  id: string;
  nonce: string;
}

export interface Recipient {
  /** The queue entry: the id of the event that asked for this email. */
  mailId: string;
  to: string;
  expiresAt?: string;
  linkRef?: LinkRef;
}

/**
 * How one deployment's emails read, from its settings when the email is sent: name, language, time
 * zone, sender name, reply-to and its own opening and closing texts. Account emails (no deployment)
 * get the defaults.
 */
export interface MailDeployment {
  name: string;
  language: Language;
  timeZone: string;
  senderName: string | null;
  replyTo: string | null;
  intro: string;
  signOff: string;
}

export function mailDeployment(
  name: string,
  settings: DeploymentSettings = DEFAULT_DEPLOYMENT_SETTINGS,
): MailDeployment {
  return {
    name,
    language: settings.language,
    timeZone: settings.timeZone,
    senderName: settings.senderName,
    replyTo: settings.replyTo,
    intro: settings.emailIntro ?? '',
    signOff: settings.emailSignOff ?? '',
  };
}

/** One template to one deployment's recipients: what a provider's batch call can carry. */
export interface MailBatch {
  template: TemplateName;
  deployment: MailDeployment;
  recipients: Recipient[];
}

export type SendResult =
  | { status: 'sent'; messageId: string }
  | { status: 'retry'; reason: string; retryAfterMs?: number }
  | { status: 'failed'; reason: string };

export interface MailTransport {
  readonly name: 'outbox' | 'mailgun';
  /** The largest batch one call takes. */
  readonly maxBatch: number;
  /** A result for every recipient, by mail id. */
  send(batch: MailBatch): Promise<Map<string, SendResult>>;
}
export const MAIL_TRANSPORT = Symbol('MailTransport');

/** Provided by the invitations context: builds links and says whether one is still the live one. */
export interface MailLinks {
  url(ref: LinkRef): string;
  isCurrent(ref: LinkRef): Promise<boolean>;
}
export const MAIL_LINKS = Symbol('MailLinks');
