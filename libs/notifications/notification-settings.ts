import type { MailgunSettings } from './transports/mailgun-transport';
import type { DispatcherSettings } from './sending/mail-dispatcher';

export interface NotificationSettings {
  transport: 'outbox' | 'mailgun';
  /** Mount GET /api/dev/outbox (outbox transport only). */
  exposeOutbox: boolean;
  mailgun?: Omit<MailgunSettings, 'downloadUrl' | 'from'>;
  from: string;
  downloadUrl: string;
  dispatcher: DispatcherSettings;
}
export const NOTIFICATION_SETTINGS = Symbol('NotificationSettings');
