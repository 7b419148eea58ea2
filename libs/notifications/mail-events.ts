import type { DomainEvent, JsonObject } from '@app/event-store';

/** Event types of the notifications context: what became of each requested email (a public contract). */
export const MailEvents = {
  MailSent: 'MailSent',
  MailFailed: 'MailFailed',
  MailSkipped: 'MailSkipped',
  MailBounced: 'MailBounced',
  MailComplained: 'MailComplained',
} as const;

interface MailOutcomeData extends JsonObject {
  /** The event that asked for the email; its mail stream is `mail-<mailId>`. */
  mailId: string;
  invitationId: string | null;
  template: string;
  transport: string;
}

export interface MailSentData extends MailOutcomeData {
  messageId: string;
}

export interface MailNotSentData extends MailOutcomeData {
  reason: string;
}

/** What the provider reported after accepting the email (its webhook), once per provider event. */
export interface MailReportData extends MailOutcomeData {
  /** In words, for staff; the recipient's address is never part of it. */
  reason: string;
  /** The provider's own event id: a repeated report of it records nothing. */
  providerEventId: string;
}

export type MailEvent =
  | DomainEvent<'MailSent', MailSentData>
  | DomainEvent<'MailFailed', MailNotSentData>
  | DomainEvent<'MailSkipped', MailNotSentData>
  | DomainEvent<'MailBounced', MailReportData>
  | DomainEvent<'MailComplained', MailReportData>;
