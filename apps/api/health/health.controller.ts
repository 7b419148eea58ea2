import { ApiOperation } from '@nestjs/swagger';
import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { ProcessorRunner } from '@app/event-processing';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { CurrentPrincipal, OptionalAuth, type Principal } from '@app/identity';
import { Answer, Problems } from '@app/problem-details';

/** A dependency that does not answer within this is counted as down: health never hangs with the database. */
const PROBE_TIMEOUT_MS = 2000;

type Probe = { status: 'up'; [detail: string]: unknown } | { status: 'down'; message: string };

/**
 * `ok` (200) when the event store and the read-model database answer, `degraded` (503) otherwise.
 * Anyone gets the status; staff also get the details (store kinds, positions, processors). Each
 * check is a constant number of indexed reads, so health costs the same however far behind a
 * processor is.
 */
@OptionalAuth()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly runner: ProcessorRunner,
  ) {}

  @ApiOperation({ summary: 'Whether the service can serve: status for anyone, details for staff' })
  @Answer(200, 'Health')
  @Problems()
  @Get()
  async check(@CurrentPrincipal() caller: Principal | undefined, @Res({ passthrough: true }) response: Response) {
    const details = caller?.kind === 'staff';
    const [eventStore, readModel] = await Promise.all([
      probe(async () => ({ kind: this.store.kind, head: await this.store.headPosition() })),
      probe(async () => (await this.db.ping(), { dialect: this.db.dialect })),
    ]);
    const healthy = eventStore.status === 'up' && readModel.status === 'up';
    response.status(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    const status = healthy ? ('ok' as const) : ('degraded' as const);
    if (!details) return { status };
    // Staff only: positions and processor names say how the service is built and how busy it is.
    const processors = healthy ? await probe(async () => ({ processors: await this.runner.status() })) : undefined;
    return { status, info: { eventStore, readModel, ...(processors ? { processors } : {}) } };
  }
}

async function probe(read: () => Promise<Record<string, unknown>>): Promise<Probe> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    return { status: 'up', ...(await Promise.race([read(), timeout])) };
  } catch (error) {
    return { status: 'down', message: error instanceof Error ? error.message : 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}
