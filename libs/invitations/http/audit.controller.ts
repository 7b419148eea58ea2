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
import { AuditFeedQueryDto, AuditFilterQueryDto } from './invitation.dto';

@ApiTags('audit')
@ApiBearerAuth()
@RequirePermission('view_audit_log')
@OpenToServices('events:read')
@Controller('events')
export class AuditController {
  constructor(
    private readonly queries: QueryBus,
    private readonly exports: EventExport,
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
}

function filterOf(query: AuditFilterQueryDto): AuditFilter {
  return {
    ...(query.deploymentId ? { deploymentId: query.deploymentId } : {}),
    ...(query.from ? { from: new Date(query.from) } : {}),
    ...(query.to ? { to: new Date(query.to) } : {}),
    ...(query.types ? { types: query.types.split(',') } : {}),
  };
}
