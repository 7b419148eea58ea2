import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock } from '@app/clock';
import { readModelSetup } from '@app/event-processing';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { MailgunWebhookController } from './http/mailgun-webhook.controller';
import { OutboxController } from './http/outbox.controller';
import { DeliveryReports } from './webhooks/delivery-reports';
import { MailTemplates } from './mail-templates';
import { MAIL_LINKS, MAIL_TRANSPORT, type MailLinks } from './mail-transport';
import { NOTIFICATION_SETTINGS, type NotificationSettings } from './notification-settings';
import { notificationsMigrations } from './notifications-schema';
import { DISPATCHER_SETTINGS, MailDispatcher } from './sending/mail-dispatcher';
import { AccountEmailsProcessManager } from './process-managers/account-emails.process-manager';
import { InvitationEmailsProcessManager } from './process-managers/invitation-emails.process-manager';
import { MailgunTransport } from './transports/mailgun-transport';
import { OutboxTransport } from './transports/outbox-transport';

@Injectable()
class TransportLifecycle implements OnApplicationShutdown {
  constructor(@Inject(MAIL_TRANSPORT) private readonly transport: { close?: () => void }) {}

  onApplicationShutdown(): void {
    this.transport.close?.();
  }
}

/** Emails from events: templates, the outbox and Mailgun transports, the mail sender. */
import { MailAddressEraser } from './sending/mail-address-eraser';
@Module({})
export class NotificationsModule {
  /** `links`: how personal links are built and checked, from the invitations context. */
  static forRoot(
    settings: NotificationSettings,
    links: { useFactory: (...deps: never[]) => MailLinks; inject: unknown[] },
  ): DynamicModule {
    return {
      module: NotificationsModule,
      controllers: [
        ...(settings.transport === 'outbox' && settings.exposeOutbox ? [OutboxController] : []),
        ...(settings.mailgun?.webhookSigningKey ? [MailgunWebhookController] : []),
      ],
      providers: [
        readModelSetup('notifications', notificationsMigrations, () => [
          new InvitationEmailsProcessManager(),
          new AccountEmailsProcessManager(),
        ]),
        TransportLifecycle,
        MailDispatcher,
        MailAddressEraser,
        DeliveryReports,
        { provide: MailTemplates, useValue: new MailTemplates() },
        { provide: NOTIFICATION_SETTINGS, useValue: settings },
        { provide: DISPATCHER_SETTINGS, useValue: settings.dispatcher },
        { provide: MAIL_LINKS, useFactory: links.useFactory, inject: links.inject as never[] },
        {
          provide: MAIL_TRANSPORT,
          inject: [SQL_DATABASE, CLOCK, MailTemplates, MAIL_LINKS],
          useFactory: (db: SqlDatabase, clock: Clock, templates: MailTemplates, mailLinks: MailLinks) =>
            settings.transport === 'mailgun'
              ? new MailgunTransport(
                  { ...settings.mailgun!, from: settings.from, downloadUrl: settings.downloadUrl },
                  templates,
                  mailLinks,
                )
              : new OutboxTransport(db, () => clock.now()),
        },
      ],
      exports: [MailDispatcher, MailTemplates],
    };
  }
}
