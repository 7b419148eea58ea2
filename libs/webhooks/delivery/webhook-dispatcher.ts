import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CLOCK, type Clock } from '@app/clock';
import { BackgroundLoop } from '@app/event-processing';
import { delay, EVENT_STORE, type EventStore } from '@app/event-store';
import { ActorNames, RecentNames } from '@app/invitations';
import { SQL_DATABASE, type LockedSession, type SqlDatabase } from '@app/sql';
import type { WebhookEndpointState } from '../domain/webhook-endpoint';
import { WebhookEndpoints } from '../application/webhook-endpoints';
import { WEBHOOK_SETTINGS, type WebhookSettings } from '../application/webhook-settings';
import { Webhooks } from '../application/webhooks';
import { deliverToEndpoint, type DeliveryTools } from './endpoint-deliveries';
import { WEBHOOK_RETRIES } from './retry-schedule';
import { DELIVERY_LOG_DAYS, forgetAttemptsBefore } from './webhook-delivery-log';
import { WebhookTransport } from './webhook-transport';

interface Running {
  version: number;
  stop: AbortController;
  done: Promise<void>;
}

/** How often the dispatcher looks for endpoints added, changed or removed; and how often a standby asks for the lock. */
const RECONCILE_MS = 1000;
const STANDBY_MS = 2000;

/**
 * Runs every enabled endpoint's deliveries, on one instance at a time (a lock, as processors have):
 * each endpoint on its own, so a slow or failing receiver holds back only itself. Once a second it
 * compares what runs with the endpoints' streams, and restarts a run whose endpoint changed.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WebhookDispatcher');
  private readonly running = new Map<string, Running>();
  private readonly background = new BackgroundLoop((signal) => this.run(signal));
  private readonly tools: DeliveryTools;
  private prunedAt = 0;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
    private readonly endpoints: WebhookEndpoints,
    private readonly webhooks: Webhooks,
    transport: WebhookTransport,
    names: ActorNames,
  ) {
    this.tools = {
      store,
      db,
      clock,
      transport,
      names: new RecentNames(names),
      retries: WEBHOOK_RETRIES,
      disable: (endpoint, reason, since) => this.webhooks.disable(endpoint, reason, since),
    };
  }

  onApplicationBootstrap(): void {
    if (this.settings.autoStart) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
    this.tools.transport.close();
  }

  start(): void {
    this.background.start();
  }

  stop(): Promise<void> {
    return this.background.stop();
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let session: LockedSession | null = null;
      try {
        session = await this.db.tryLock('webhook-dispatcher');
        if (!session) {
          await delay(STANDBY_MS, signal);
          continue;
        }
        while (!signal.aborted) {
          await this.reconcile();
          await this.forgetOldAttempts();
          await delay(RECONCILE_MS, signal);
        }
      } catch (error) {
        this.logger.error({ err: error }, 'Webhook dispatch failed; retrying');
        await delay(STANDBY_MS, signal);
      } finally {
        // Deliveries run only while the lock is held: another instance may take over after this.
        await this.stopRuns([...this.running.keys()]);
        await session?.release().catch(() => undefined);
      }
    }
  }

  private async reconcile(): Promise<void> {
    const wanted = new Map(
      (await this.endpoints.all()).filter((e) => e.status === 'enabled').map((e) => [e.id, e] as const),
    );
    await this.stopRuns(
      [...this.running].filter(([id, run]) => wanted.get(id)?.version !== run.version).map(([id]) => id),
    );
    for (const endpoint of wanted.values()) if (!this.running.has(endpoint.id)) this.startRun(endpoint);
  }

  private startRun(endpoint: WebhookEndpointState): void {
    const stop = new AbortController();
    const done = deliverToEndpoint(endpoint, this.webhooks.secretsOf(endpoint), this.tools, stop.signal)
      .catch((error) =>
        this.logger.error({ err: error, endpoint: endpoint.id }, 'Webhook deliveries stopped; restarting'),
      )
      // A run that ended by itself (disabled, or an error) is started again by the next reconcile if still wanted.
      .finally(() => {
        if (this.running.get(endpoint.id)?.stop === stop) this.running.delete(endpoint.id);
      });
    this.running.set(endpoint.id, { version: endpoint.version, stop, done });
  }

  private async stopRuns(ids: string[]): Promise<void> {
    const runs = ids.map((id) => this.running.get(id)).filter((r): r is Running => !!r);
    for (const run of runs) run.stop.abort();
    await Promise.all(runs.map((run) => run.done));
    for (const id of ids) this.running.delete(id);
  }

  /** Hourly: attempts older than the delivery log keeps. */
  private async forgetOldAttempts(): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() - this.prunedAt < 3_600_000) return;
    this.prunedAt = now.getTime();
    await forgetAttemptsBefore(this.db, new Date(now.getTime() - DELIVERY_LOG_DAYS * 86_400_000));
  }
}
