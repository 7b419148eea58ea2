import { specification } from '@app/event-store/testing/given-when-then';
import {
  deleteWebhookEndpoint,
  disableWebhookEndpoint,
  enableWebhookEndpoint,
  evolveWebhookEndpoint,
  registerWebhookEndpoint,
  replayWebhookEndpoint,
  rotateWebhookSecret,
  type WebhookEndpointRequest,
  type WebhookEndpointState,
} from './webhook-endpoint';
import { registerWebhookUpcasters, type WebhookEvent } from './webhook-events';
import { Upcasters } from '@app/event-store';

const given = specification<WebhookEndpointState>(evolveWebhookEndpoint, {
  stream: 'webhookEndpoint-e1',
  start: new Date('2026-12-01T10:00:00Z'),
});

const request: WebhookEndpointRequest = {
  endpointId: 'e1',
  organisationId: 'o1',
  url: 'https://hooks.example.org/in',
  types: ['InvitationIssued', 'InvitationIssued', 'InvitationRedeemed'],
  deploymentId: 'd1',
  deploymentKnown: true,
  maxEventsPerDelivery: 1,
  startsAfter: '0000000000000007',
  knownTypes: new Set(['InvitationIssued', 'InvitationRedeemed']),
  signing: { keyId: 'k1', nonce: 'n1' },
};

const registered: WebhookEvent = {
  type: 'WebhookEndpointRegistered',
  data: {
    endpointId: 'e1',
    organisationId: 'o1',
    url: 'https://hooks.example.org/in',
    types: ['InvitationIssued', 'InvitationRedeemed'],
    deploymentId: 'd1',
    maxEventsPerDelivery: 1,
    startsAfter: '0000000000000007',
    keyId: 'k1',
    nonce: 'n1',
  },
};
const disabled: WebhookEvent = {
  type: 'WebhookEndpointDisabled',
  data: { endpointId: 'e1', reason: 'answered 500 for 3 days', failingSince: '2026-12-01T10:00:00.000Z' },
};
const deleted: WebhookEvent = { type: 'WebhookEndpointDeleted', data: { endpointId: 'e1' } };

describe('a webhook endpoint', () => {
  it('is registered for the event types named, each once', () => {
    expect(registerWebhookEndpoint(request)).toEqual([registered]);
  });

  it.each([
    ['no event type', { types: [] }, 'invalid_event_types'],
    ['a type nobody writes', { types: ['InvitationIssued', 'InvitationsIssued'] }, 'invalid_event_types'],
    ['no event per delivery', { maxEventsPerDelivery: 0 }, 'invalid_batch_size'],
    ['more than a hundred per delivery', { maxEventsPerDelivery: 101 }, 'invalid_batch_size'],
    ['a fraction per delivery', { maxEventsPerDelivery: 1.5 }, 'invalid_batch_size'],
    ['a deployment the creator does not act in', { deploymentKnown: false }, 'deployment_not_found'],
  ])('refuses %s', (_, change, code) => {
    expect(() => registerWebhookEndpoint({ ...request, ...change })).toThrow(expect.objectContaining({ code }));
  });

  it('takes a new signing input when its secret is rotated, the one before signing beside it until a time', () => {
    const rotated: WebhookEvent = {
      type: 'WebhookSecretRotated',
      schemaVersion: 2,
      data: { endpointId: 'e1', keyId: 'k2', nonce: 'n2', previousSignsUntil: '2026-12-02T10:00:00.000Z' },
    };
    given(registered)
      .when((state) => rotateWebhookSecret(state, { keyId: 'k2', nonce: 'n2' }, '2026-12-02T10:00:00.000Z'))
      .then(rotated);
    const state = given(registered, rotated).state;
    expect(state.signing).toEqual({ keyId: 'k2', nonce: 'n2' });
    expect(state.previousSigning).toEqual({ keyId: 'k1', nonce: 'n1', until: '2026-12-02T10:00:00.000Z' });
  });

  it('stops the secret before at once when a rotation says so (after a leak)', () => {
    const rotated: WebhookEvent = {
      type: 'WebhookSecretRotated',
      schemaVersion: 2,
      data: { endpointId: 'e1', keyId: 'k2', nonce: 'n2', previousSignsUntil: null },
    };
    given(registered)
      .when((state) => rotateWebhookSecret(state, { keyId: 'k2', nonce: 'n2' }, null))
      .then(rotated);
    expect(given(registered, rotated).state.previousSigning).toBeNull();
  });

  it('reads a rotation written before the overlap existed (version 1) as one that stopped the secret before', () => {
    const upcasters = registerWebhookUpcasters(new Upcasters());
    const written = {
      id: 'r1',
      streamId: 'webhookEndpoint-e1',
      revision: 1n,
      position: '2',
      recordedAt: new Date('2026-12-01T10:00:00Z'),
      type: 'WebhookSecretRotated',
      schemaVersion: 1,
      data: { endpointId: 'e1', keyId: 'k2', nonce: 'n2' },
      metadata: {},
    };
    expect(upcasters.apply(written)).toEqual({
      ...written,
      schemaVersion: 2,
      data: { endpointId: 'e1', keyId: 'k2', nonce: 'n2', previousSignsUntil: null },
    });
  });

  it('is disabled once, with its reason', () => {
    given(registered)
      .when((state) => disableWebhookEndpoint(state, 'answered 500 for 3 days', '2026-12-01T10:00:00.000Z'))
      .then(disabled);
    given(registered, disabled)
      .when((state) => disableWebhookEndpoint(state, 'again', '2026-12-01T10:00:00.000Z'))
      .then();
  });

  it('is enabled again only when disabled', () => {
    given(registered, disabled)
      .when(enableWebhookEndpoint)
      .then({ type: 'WebhookEndpointEnabled', data: { endpointId: 'e1' } });
    given(registered).when(enableWebhookEndpoint).thenFails('webhook_not_disabled');
  });

  it('replays from a position, each request counted so a running delivery restarts for it', () => {
    const replayed: WebhookEvent = { type: 'WebhookReplayRequested', data: { endpointId: 'e1', fromPosition: '42' } };
    given(registered)
      .when((state) => replayWebhookEndpoint(state, '42'))
      .then(replayed);
    const twice = given(registered, replayed, replayed).state;
    expect(twice.replay).toEqual({ seq: 2, from: '42' });
    expect(twice.version).toBe(3);
  });

  it('refuses everything once deleted, and anything about an endpoint never registered', () => {
    given(registered, deleted).when(deleteWebhookEndpoint).thenFails('webhook_not_found');
    given(registered, deleted)
      .when((state) => replayWebhookEndpoint(state, '0'))
      .thenFails('webhook_not_found');
    given().when(deleteWebhookEndpoint).thenFails('webhook_not_found');
  });
});
