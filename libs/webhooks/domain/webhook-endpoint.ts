import { occurredAt, type RecordedEvent } from '@app/event-store';
import { WebhookError } from './webhook-error';
import { SECRET_ROTATED_VERSION, type SigningInput, type WebhookEvent, webhookEventOf } from './webhook-events';

export interface WebhookEndpointState {
  id: string;
  organisationId: string;
  url: string;
  types: string[];
  deploymentId: string | null;
  maxEventsPerDelivery: number;
  startsAfter: string;
  signing: SigningInput;
  /** The secret before the latest rotation, while it still signs beside the current one. */
  previousSigning: (SigningInput & { until: string }) | null;
  status: 'enabled' | 'disabled' | 'deleted';
  disabledReason: string | null;
  createdAt: string;
  /** Bumped by every change a running delivery must restart for. */
  version: number;
  /** The latest replay asked for: deliveries start again right after this position. */
  replay: { seq: number; from: string } | null;
}

export interface WebhookEndpointRequest {
  endpointId: string;
  organisationId: string;
  /** Already judged by the network policy (scheme, host, address ranges). */
  url: string;
  types: readonly string[];
  deploymentId: string | null;
  /** Whether the deployment exists and the registering member of staff acts in it. */
  deploymentKnown: boolean;
  maxEventsPerDelivery: number;
  /** The log's head now. */
  startsAfter: string;
  /** The event types there are: a type nobody writes would make an endpoint that never hears anything. */
  knownTypes: ReadonlySet<string>;
  signing: SigningInput;
}

export const MAX_EVENTS_PER_DELIVERY = 100;

/** An endpoint for some event types of the organisation or of one of its deployments. */
export function registerWebhookEndpoint(request: WebhookEndpointRequest): WebhookEvent[] {
  const types = [...new Set(request.types)];
  if (!types.length || types.some((type) => !request.knownTypes.has(type)))
    throw new WebhookError('invalid_event_types', 'One or more event types of the event catalogue', 'types');
  const max = request.maxEventsPerDelivery;
  if (!Number.isInteger(max) || max < 1 || max > MAX_EVENTS_PER_DELIVERY)
    throw new WebhookError(
      'invalid_batch_size',
      `maxEventsPerDelivery is a whole number from 1 to ${MAX_EVENTS_PER_DELIVERY}`,
      'maxEventsPerDelivery',
    );
  if (request.deploymentId && !request.deploymentKnown)
    throw new WebhookError('deployment_not_found', 'No such deployment', 'deploymentId');
  return [
    {
      type: 'WebhookEndpointRegistered',
      data: {
        endpointId: request.endpointId,
        organisationId: request.organisationId,
        url: request.url,
        types,
        deploymentId: request.deploymentId,
        maxEventsPerDelivery: max,
        startsAfter: request.startsAfter,
        ...request.signing,
      },
    },
  ];
}

/**
 * A new signing secret. The one it replaces goes on signing beside it until `previousSignsUntil`, or
 * stops with this event when that is null.
 */
export function rotateWebhookSecret(
  state: WebhookEndpointState | null,
  signing: SigningInput,
  previousSignsUntil: string | null,
): WebhookEvent[] {
  const endpoint = existing(state);
  return [
    {
      type: 'WebhookSecretRotated',
      schemaVersion: SECRET_ROTATED_VERSION,
      data: { endpointId: endpoint.id, ...signing, previousSignsUntil },
    },
  ];
}

/** Deliveries gave up: the endpoint stops, with the reason its managers will read. Only an enabled one. */
export function disableWebhookEndpoint(
  state: WebhookEndpointState | null,
  reason: string,
  failingSince: string,
): WebhookEvent[] {
  const endpoint = existing(state);
  if (endpoint.status !== 'enabled') return [];
  return [{ type: 'WebhookEndpointDisabled', data: { endpointId: endpoint.id, reason, failingSince } }];
}

/** Deliveries resume from where they stopped. */
export function enableWebhookEndpoint(state: WebhookEndpointState | null): WebhookEvent[] {
  const endpoint = existing(state);
  if (endpoint.status !== 'disabled') throw new WebhookError('webhook_not_disabled', 'This endpoint is not disabled');
  return [{ type: 'WebhookEndpointEnabled', data: { endpointId: endpoint.id } }];
}

/** Deliveries start again right after `fromPosition` (a position of the log, or START for all of it). */
export function replayWebhookEndpoint(state: WebhookEndpointState | null, fromPosition: string): WebhookEvent[] {
  const endpoint = existing(state);
  return [{ type: 'WebhookReplayRequested', data: { endpointId: endpoint.id, fromPosition } }];
}

export function deleteWebhookEndpoint(state: WebhookEndpointState | null): WebhookEvent[] {
  const endpoint = existing(state);
  return [{ type: 'WebhookEndpointDeleted', data: { endpointId: endpoint.id } }];
}

function existing(state: WebhookEndpointState | null): WebhookEndpointState {
  if (!state || state.status === 'deleted') throw new WebhookError('webhook_not_found', 'No such webhook endpoint');
  return state;
}

export function evolveWebhookEndpoint(
  state: WebhookEndpointState | null,
  recorded: RecordedEvent,
): WebhookEndpointState | null {
  const event = webhookEventOf(recorded);
  if (!event) return state;
  if (event.type === 'WebhookEndpointRegistered') {
    const { endpointId, organisationId, url, types, deploymentId, maxEventsPerDelivery, startsAfter, keyId, nonce } =
      event.data;
    return {
      id: endpointId,
      organisationId,
      url,
      types,
      deploymentId,
      maxEventsPerDelivery,
      startsAfter,
      signing: { keyId, nonce },
      previousSigning: null,
      status: 'enabled',
      disabledReason: null,
      createdAt: occurredAt(recorded),
      version: 1,
      replay: null,
    };
  }
  if (!state) return state;
  const next = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'WebhookSecretRotated': {
      const { keyId, nonce, previousSignsUntil } = event.data;
      const previousSigning = previousSignsUntil ? { ...state.signing, until: previousSignsUntil } : null;
      return { ...next, signing: { keyId, nonce }, previousSigning };
    }
    case 'WebhookEndpointDisabled':
      return { ...next, status: 'disabled', disabledReason: event.data.reason };
    case 'WebhookEndpointEnabled':
      return { ...next, status: 'enabled', disabledReason: null };
    case 'WebhookReplayRequested':
      return { ...next, replay: { seq: (state.replay?.seq ?? 0) + 1, from: event.data.fromPosition } };
    case 'WebhookEndpointDeleted':
      return { ...next, status: 'deleted' };
  }
}
