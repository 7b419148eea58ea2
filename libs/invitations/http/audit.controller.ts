import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { CurrentOperator, OpenToServices, type Operator, RequirePermission } from '@app/identity';
import { Answer, Problems } from '@app/problem-details';
import { AuditFeed } from '../application/auditing/audit-feed';
import type { AuditFilter } from '../application/auditing/audit-filter';
import { EventExport } from '../application/auditing/export-events';
import { csv, ndjson } from './event-export-formats';
import { EventStream } from '../application/auditing/event-stream';
import { AuditFeedQueryDto, AuditFilterQueryDto, EventStreamQueryDto } from './invitation.dto';
import { writeEventStream } from './server-sent-events';

@ApiTags('audit')
@ApiBearerAuth()
@RequirePermission('view_audit_log')
@OpenToServices('events:read')
@Controller('events')
export class AuditController {
  constructor(
    private readonly queries: QueryBus,
    private readonly exports: EventExport,
    private readonly live: EventStream,
  ) {}

  @ApiOperation({ summary: 'The event log for auditors, in log order, by position' })
  @Answer(200, 'FeedPage')
  @Problems('forbidden', 'invalid_position', 'deployment_not_found')
  @Get()
  feed(@CurrentOperator() caller: Operator, @Query() query: AuditFeedQueryDto) {
    return this.queries.execute(new AuditFeed(caller, query.after || undefined, query.limit ?? 100, filterOf(query)));
  }

  /**
   * Every selected event, streamed as it is read: NDJSON (one feed event per line), or CSV for a
   * spreadsheet with `Accept: text/csv`. A refusal comes before the first byte; a failure after it
   * cuts the stream short (the last line is then incomplete), never a half-written success.
   */
  @ApiOperation({ summary: 'Export the event log: NDJSON, or CSV with Accept: text/csv; streamed' })
  @ApiProduces('application/x-ndjson', 'text/csv')
  @ApiHeader({ name: 'Accept', required: false, description: '`text/csv` for CSV; anything else gives NDJSON' })
  @Answer(200, 'FeedEvent', 'One FeedEvent per line (NDJSON), or one row per event (CSV)')
  @Problems('forbidden', 'deployment_not_found')
  @Get('export')
  async export(
    @CurrentOperator() caller: Operator,
    @Query() query: AuditFilterQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const batches = await this.exports.open(caller, filterOf(query));
    const asCsv = /\btext\/csv\b/i.test(accept ?? '');
    const stamp = new Date().toISOString().slice(0, 10);
    res.status(200);
    res.setHeader('Content-Type', asCsv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="events-${stamp}.${asCsv ? 'csv' : 'ndjson'}"`);
    res.setHeader('Cache-Control', 'no-store');
    await pipeline(asCsv ? csv(batches) : ndjson(batches), res).catch(() => res.destroy());
  }

  /**
   * The log as it grows, as Server-Sent Events: each event's `id` is its position; a client that
   * reconnects with Last-Event-ID (or `after`) goes on right after it, nothing skipped or repeated.
   * Without either it starts from now. Refusals come before the stream starts.
   */
  @ApiOperation({ summary: 'Follow the event log live (Server-Sent Events), resuming after Last-Event-ID' })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The last position received: go on after it' })
  @Answer(200, 'FeedEvent', 'text/event-stream: id = position, event = type, data = one FeedEvent as JSON')
  @Problems('forbidden', 'deployment_not_found', 'invalid_position', 'too_many_streams')
  @Get('stream')
  async stream(
    @CurrentOperator() caller: Operator,
    @Query() query: EventStreamQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const opened = await this.live.start(caller, filterOf(query), lastEventId?.trim() || query.after || undefined);
    res.once('close', () => opened.close());
    try {
      await writeEventStream(res, opened.events, this.live.settings.heartbeatSeconds * 1000, opened.signal);
    } catch {
      // The client went away, or the store failed after the stream began: end it; the client resumes.
    } finally {
      opened.close();
      res.end();
    }
  }
}

function filterOf(query: Partial<AuditFilterQueryDto>): AuditFilter {
  return {
    ...(query.deploymentId ? { deploymentId: query.deploymentId } : {}),
    ...(query.from ? { from: new Date(query.from) } : {}),
    ...(query.to ? { to: new Date(query.to) } : {}),
    ...(query.types ? { types: query.types.split(',') } : {}),
    ...(query.categories ? { categories: query.categories.split(',') } : {}),
  };
}
