import type { DomainEvent, JsonObject, RecordedEvent } from '@app/event-store';

/** Event types of webhook endpoints: a public contract, as every event type is. */
export const WebhookEvents = {
  WebhookEndpointRegistered: 'WebhookEndpointRegistered',
  WebhookSecretRotated: 'WebhookSecretRotated',
  WebhookEndpointDisabled: 'WebhookEndpointDisabled',
  WebhookEndpointEnabled: 'WebhookEndpointEnabled',
  WebhookReplayRequested: 'WebhookReplayRequested',
  WebhookEndpointDeleted: 'WebhookEndpointDeleted',
} as const;

/**
 * The signing secret is never in an event: `keyId` names the server key and `nonce` the input it is
 * derived from (as link tokens are), so whoever only reads the log cannot sign or verify.
 */
export interface SigningInput extends JsonObject {
  keyId: string;
  nonce: string;
}

export interface WebhookEndpointRegisteredData extends SigningInput {
  endpointId: string;
  organisationId: string;
  url: string;
  types: string[];
  /** null: every deployment of the organisation (and events of none). */
  deploymentId: string | null;
  /** 1: each delivery carries one event; more: up to this many, as they are waiting. */
  maxEventsPerDelivery: number;
  /** The log's head when it was registered: deliveries start right after it (a replay reaches further back). */
  startsAfter: string;
}

export type WebhookEvent =
  | DomainEvent<'WebhookEndpointRegistered', WebhookEndpointRegisteredData>
  | DomainEvent<'WebhookSecretRotated', SigningInput & { endpointId: string }>
  | DomainEvent<'WebhookEndpointDisabled', { endpointId: string; reason: string; failingSince: string }>
  | DomainEvent<'WebhookEndpointEnabled', { endpointId: string }>
  | DomainEvent<'WebhookReplayRequested', { endpointId: string; fromPosition: string }>
  | DomainEvent<'WebhookEndpointDeleted', { endpointId: string }>;

export const WEBHOOK_EVENT_TYPES: readonly string[] = Object.values(WebhookEvents);

export function webhookStream(endpointId: string): string {
  return `webhookEndpoint-${endpointId}`;
}

/** The recorded event as one of ours, or null for any other type. */
export function webhookEventOf(recorded: RecordedEvent): WebhookEvent | null {
  return WEBHOOK_EVENT_TYPES.includes(recorded.type)
    ? ({ type: recorded.type, data: recorded.data } as WebhookEvent)
    : null;
}
