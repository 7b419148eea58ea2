import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE, type EventStore, ProcessorRunner, SQL_DATABASE, type SqlDatabase } from '@app/event-store';
import { Public } from '@app/identity';

/** Reachability of the event store and the read-model database, and how far behind each processor is. */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly runner: ProcessorRunner,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.probe('eventStore', async () => ({ kind: this.store.kind, head: await this.store.headPosition() })),
      () => this.probe('readModel', async () => (await this.db.ping(), { dialect: this.db.dialect })),
      () => this.probe('processors', async () => ({ processors: await this.runner.status() })),
    ]);
  }

  private async probe(key: string, read: () => Promise<Record<string, unknown>>) {
    const indicator = this.indicators.check(key);
    try {
      return indicator.up(await read());
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : 'unreachable' });
    }
  }
}
