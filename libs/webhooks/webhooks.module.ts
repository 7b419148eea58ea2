import { type DynamicModule, Module } from '@nestjs/common';
import { readModelSetup } from '@app/event-processing';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { ActorNames } from '@app/invitations';
import { WebhookEndpoints } from './application/webhook-endpoints';
import { WEBHOOK_SETTINGS, type WebhookSettings } from './application/webhook-settings';
import { Webhooks } from './application/webhooks';
import { WebhookDispatcher } from './delivery/webhook-dispatcher';
import { WebhookTransport } from './delivery/webhook-transport';
import { webhookMigrations } from './delivery/webhooks-schema';
import { registerWebhookUpcasters } from './domain/webhook-events';
import { WebhooksController } from './http/webhooks.controller';

/** Signed webhooks for other services: endpoints managed over HTTP, deliveries run by the dispatcher. */
@Module({})
export class WebhooksModule {
  static forRoot(settings: WebhookSettings): DynamicModule {
    return {
      module: WebhooksModule,
      controllers: [WebhooksController],
      providers: [
        readModelSetup('webhooks', webhookMigrations),
        // Older shapes of webhook events read as the newest, before anything reads them.
        {
          provide: 'WebhookUpcasters',
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => registerWebhookUpcasters(store.upcasters),
        },
        { provide: WEBHOOK_SETTINGS, useValue: settings },
        { provide: WebhookTransport, useValue: new WebhookTransport(settings.network) },
        ActorNames,
        WebhookEndpoints,
        Webhooks,
        WebhookDispatcher,
      ],
      exports: [Webhooks, WebhookDispatcher],
    };
  }
}
