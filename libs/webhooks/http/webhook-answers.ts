import {
  type AnswerSchemas,
  instant,
  integer,
  listOf,
  nullableText,
  object,
  oneOf,
  schemaRef,
  text,
  uuid,
} from '@app/problem-details';

const nullableInstant = { ...instant, nullable: true };

export const WEBHOOK_ANSWERS: AnswerSchemas = {
  WebhookEndpoint: object({
    id: uuid,
    url: text(),
    types: listOf(text()),
    deploymentId: { ...uuid, nullable: true },
    maxEventsPerDelivery: integer,
    status: oneOf('enabled', 'disabled'),
    disabledReason: nullableText('Why deliveries stopped'),
    createdAt: instant,
    deliveredThrough: nullableText('Every matching event up to this log position was delivered'),
    failingSince: nullableInstant,
    nextAttemptAt: nullableInstant,
    previousSecretSignsUntil: {
      ...nullableInstant,
      description: 'After a rotation: until when the secret before the current one still signs beside it',
    },
  }),
  WebhookEndpoints: object({ items: listOf('WebhookEndpoint') }),
  CreatedWebhookEndpoint: {
    allOf: [schemaRef('WebhookEndpoint'), object({ secret: text('whsec_…, shown once') })],
  },
  WebhookSecret: object({ secret: text('whsec_…, shown once') }),
  WebhookTestPing: object({
    delivered: { type: 'boolean' },
    responseStatus: { ...integer, nullable: true },
    error: nullableText(),
    durationMs: integer,
  }),
  WebhookDelivery: object({
    webhookId: text('The webhook-id header sent'),
    kind: oneOf('events', 'test'),
    firstPosition: nullableText(),
    lastPosition: nullableText(),
    eventCount: integer,
    attempt: integer,
    attemptedAt: instant,
    delivered: { type: 'boolean' },
    responseStatus: { ...integer, nullable: true },
    error: nullableText(),
    durationMs: integer,
  }),
  WebhookDeliveries: object({ items: listOf('WebhookDelivery'), nextCursor: nullableText('Null on the last page') }),
};
