import type { DomainEvent, JsonObject, RecordedEvent, Upcasters } from '@app/event-store';

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

export interface WebhookSecretRotatedData extends SigningInput {
  endpointId: string;
  /**
   * Since schema version 2: until when the secret before this one signs deliveries too (beside the new
   * one), so that receivers can change over without refusing anything. null: it stopped at once (a
   * rotation that asked for it, as after a leak; and every version 1 event, upcast).
   */
  previousSignsUntil: string | null;
}

/** The shape `WebhookSecretRotated` is written in now. */
export const SECRET_ROTATED_VERSION = 2;

/** Older shapes of webhook events read as the newest. */
export function registerWebhookUpcasters(upcasters: Upcasters): Upcasters {
  return upcasters.register(WebhookEvents.WebhookSecretRotated, 1, (data) => ({ ...data, previousSignsUntil: null }));
}

export type WebhookEvent =
  | DomainEvent<'WebhookEndpointRegistered', WebhookEndpointRegisteredData>
  | DomainEvent<'WebhookSecretRotated', WebhookSecretRotatedData>
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
