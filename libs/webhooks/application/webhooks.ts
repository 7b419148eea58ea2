import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { CLOCK, type Clock } from '@app/clock';
import {
  EVENT_STORE,
  type EventStore,
  handleCommand,
  requestContext,
  systemContext,
  toNewEvents,
} from '@app/event-store';
import { actorOf, DeploymentAccess, type StaffPrincipal } from '@app/identity';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import {
  deleteWebhookEndpoint,
  disableWebhookEndpoint,
  enableWebhookEndpoint,
  registerWebhookEndpoint,
  replayWebhookEndpoint,
  rotateWebhookSecret,
  type WebhookEndpointState,
} from '../domain/webhook-endpoint';
import { WebhookError } from '../domain/webhook-error';
import { type SigningInput, type WebhookEvent, webhookStream } from '../domain/webhook-events';
import { clearFailures, deleteCursor, loadCursor } from '../delivery/webhook-cursors';
import { attemptsOf, type DeliveryAttempt, logAttempt } from '../delivery/webhook-delivery-log';
import { delivered, type PostResult, WebhookTransport } from '../delivery/webhook-transport';
import { EVENT_CATALOGUE } from './event-catalogue';
import { checkWebhookUrl } from './webhook-network-policy';
import { WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings';
import {
  type EndpointSecrets,
  previousSignsUntil,
  secretsAt,
  signedHeaders,
  signingSecret,
} from './webhook-signatures';
import { WebhookEndpoints } from './webhook-endpoints';

export interface WebhookInput {
  url: string;
  types: string[];
  deploymentId?: string;
  maxEventsPerDelivery?: number;
}

/** An endpoint as its managers see it: never its secret. */
export interface WebhookView {
  id: string;
  url: string;
  types: string[];
  deploymentId: string | null;
  maxEventsPerDelivery: number;
  status: 'enabled' | 'disabled';
  disabledReason: string | null;
  createdAt: string;
  /** Every matching event up to this log position was delivered. */
  deliveredThrough: string | null;
  /** While deliveries fail: since when, and when the next attempt is due. */
  failingSince: string | null;
  nextAttemptAt: string | null;
  /** After a rotation: until when the secret before the current one still signs beside it. */
  previousSecretSignsUntil: string | null;
}

/** How long the secret a rotation replaces goes on signing beside the new one, unless asked otherwise. */
export const PREVIOUS_SECRET_HOURS = 24;

export interface TestPing {
  delivered: boolean;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Webhook endpoints of the organisation: registered, rotated, enabled again, replayed and deleted as
 * events on their own streams, by an organisation-wide manager; deliveries themselves run in the
 * WebhookDispatcher. The signing secret is shown when made or rotated, and derived again to sign.
 */
@Injectable()
export class Webhooks {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
    private readonly endpoints: WebhookEndpoints,
    private readonly access: DeploymentAccess,
    private readonly transport: WebhookTransport,
  ) {}

  async register(
    manager: StaffPrincipal,
    input: WebhookInput,
    correlationId: string,
  ): Promise<WebhookView & { secret: string }> {
    const url = checkWebhookUrl(input.url, this.settings.network);
    const deploymentId = input.deploymentId ?? null;
    const endpointId = randomUUID();
    const signing = this.newSigningInput();
    const events = registerWebhookEndpoint({
      endpointId,
      organisationId: manager.organisationId,
      url,
      types: input.types,
      deploymentId,
      deploymentKnown: deploymentId ? await this.access.canActIn(manager, deploymentId) : true,
      maxEventsPerDelivery: input.maxEventsPerDelivery ?? 1,
      startsAfter: await this.store.headPosition(),
      knownTypes: EVENT_CATALOGUE,
      signing,
    });
    await this.store.appendToStreams([
      {
        stream: webhookStream(endpointId),
        expectedRevision: 'no_stream',
        events: toNewEvents(events, requestContext(actorOf(manager), correlationId, this.clock.now())),
      },
    ]);
    return { ...(await this.view(manager, endpointId)), secret: this.secretOf(endpointId, signing) };
  }

  async list(manager: StaffPrincipal): Promise<WebhookView[]> {
    const mine = (await this.endpoints.all()).filter((e) => e.organisationId === manager.organisationId);
    return Promise.all(mine.map((endpoint) => this.viewOf(endpoint)));
  }

  async view(manager: StaffPrincipal, id: string): Promise<WebhookView> {
    return this.viewOf(await this.mine(manager, id));
  }

  /**
   * A new secret, shown once. The one it replaces signs beside it for `previousSecretHours` (0: it
   * stops now, as after a leak), so receivers can change over without refusing a delivery.
   */
  async rotate(
    manager: StaffPrincipal,
    id: string,
    correlationId: string,
    previousSecretHours = PREVIOUS_SECRET_HOURS,
  ): Promise<{ secret: string }> {
    const signing = this.newSigningInput();
    const until =
      previousSecretHours > 0
        ? new Date(this.clock.now().getTime() + previousSecretHours * 3_600_000).toISOString()
        : null;
    await this.decide(manager, id, correlationId, (state) => rotateWebhookSecret(state, signing, until));
    return { secret: this.secretOf(id, signing) };
  }

  async enable(manager: StaffPrincipal, id: string, correlationId: string): Promise<WebhookView> {
    await this.decide(manager, id, correlationId, enableWebhookEndpoint);
    await clearFailures(this.db, id);
    return this.view(manager, id);
  }

  /** Deliveries start again right after `from` ("": the beginning of the log); the position must be the log's. */
  async replay(manager: StaffPrincipal, id: string, from: string, correlationId: string): Promise<WebhookView> {
    // A position the log never handed out is refused (400 invalid_position), as the feed and the stream
    // refuse it: reading one event from it checks it on every store.
    for await (const _ of this.store.readAll({ from, maxCount: 1 })) break;
    await this.decide(manager, id, correlationId, (state) => replayWebhookEndpoint(state, from));
    return this.view(manager, id);
  }

  async remove(manager: StaffPrincipal, id: string, correlationId: string): Promise<void> {
    await this.decide(manager, id, correlationId, deleteWebhookEndpoint);
    await deleteCursor(this.db, id);
  }

  /** What the dispatcher records when deliveries give up; the system is the actor. */
  async disable(endpoint: WebhookEndpointState, reason: string, failingSince: string): Promise<void> {
    await this.append(endpoint.id, systemContext(this.clock.now()), (state) =>
      disableWebhookEndpoint(state, reason, failingSince),
    );
  }

  /** A signed `webhook.test` message, sent now from this instance, outside the order of the log; recorded with the deliveries. */
  async test(manager: StaffPrincipal, id: string): Promise<TestPing> {
    const endpoint = await this.mine(manager, id);
    const now = this.clock.now();
    const messageId = randomUUID();
    const body = JSON.stringify({ type: 'webhook.test', timestamp: now.toISOString(), data: { endpointId: id } });
    const result: PostResult = await this.transport.post(
      endpoint.url,
      signedHeaders(secretsAt(this.secretsOf(endpoint), now), messageId, now, body),
      body,
    );
    await logAttempt(this.db, id, {
      webhookId: messageId,
      kind: 'test',
      firstPosition: null,
      lastPosition: null,
      eventCount: 0,
      attempt: 1,
      attemptedAt: now.toISOString(),
      delivered: delivered(result),
      responseStatus: result.status,
      error: result.error,
      durationMs: result.durationMs,
    });
    return {
      delivered: delivered(result),
      responseStatus: result.status,
      error: result.error,
      durationMs: result.durationMs,
    };
  }

  async deliveries(manager: StaffPrincipal, id: string, limit: number, before?: number): Promise<DeliveryAttempt[]> {
    await this.mine(manager, id);
    return attemptsOf(this.db, id, limit, before);
  }

  secretOf(endpointId: string, signing: SigningInput): string {
    return signingSecret(this.settings.keys, endpointId, signing);
  }

  /** The endpoint's secrets; the one before a rotation only while its server key is still configured. */
  secretsOf(endpoint: WebhookEndpointState): EndpointSecrets {
    const previous = endpoint.previousSigning;
    const signable = previous && this.settings.keys.some((key) => key.id === previous.keyId);
    return {
      current: this.secretOf(endpoint.id, endpoint.signing),
      previous: signable ? { secret: this.secretOf(endpoint.id, previous), until: previous.until } : null,
    };
  }

  private newSigningInput(): SigningInput {
    return { keyId: this.settings.keys[0].id, nonce: randomBytes(16).toString('base64url') };
  }

  private async mine(manager: StaffPrincipal, id: string): Promise<WebhookEndpointState> {
    const { state } = await this.endpoints.load(id);
    if (!state || state.status === 'deleted' || state.organisationId !== manager.organisationId)
      throw new WebhookError('webhook_not_found', 'No such webhook endpoint');
    return state;
  }

  private async viewOf(endpoint: WebhookEndpointState): Promise<WebhookView> {
    const cursor = await loadCursor(this.db, endpoint.id, endpoint.startsAfter);
    return {
      id: endpoint.id,
      url: endpoint.url,
      types: endpoint.types,
      deploymentId: endpoint.deploymentId,
      maxEventsPerDelivery: endpoint.maxEventsPerDelivery,
      status: endpoint.status === 'disabled' ? 'disabled' : 'enabled',
      disabledReason: endpoint.disabledReason,
      createdAt: endpoint.createdAt,
      deliveredThrough: cursor.position || null,
      failingSince: cursor.failingSince,
      nextAttemptAt: cursor.nextAttemptAt,
      previousSecretSignsUntil: previousSignsUntil(this.secretsOf(endpoint), this.clock.now()),
    };
  }

  private decide(
    manager: StaffPrincipal,
    id: string,
    correlationId: string,
    decision: (state: WebhookEndpointState | null) => WebhookEvent[],
  ): Promise<void> {
    const context = requestContext(actorOf(manager), correlationId, this.clock.now());
    return this.append(id, context, (state) =>
      decision(state?.organisationId === manager.organisationId ? state : null),
    );
  }

  private append(
    id: string,
    context: Parameters<typeof toNewEvents>[1],
    decision: (state: WebhookEndpointState | null) => WebhookEvent[],
  ): Promise<void> {
    return handleCommand(this.store, async () => {
      const { state, revision } = await this.endpoints.load(id);
      const events = decision(state);
      return {
        appends: [
          {
            stream: webhookStream(id),
            expectedRevision: revision ?? 'no_stream',
            events: toNewEvents(events, context),
          },
        ],
        result: undefined,
      };
    });
  }
}
