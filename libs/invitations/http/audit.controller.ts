import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, RequirePermission, type StaffPrincipal } from '@app/identity';
import { AuditFeed } from '../application/auditing/audit-feed';
import { AuditFeedQueryDto } from './invitation.dto';
import { Answer, Problems } from '@app/problem-details';

@ApiTags('audit')
@ApiBearerAuth()
@RequirePermission('view_audit_log')
@Controller('events')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @ApiOperation({ summary: 'The event log for auditors, in log order, by position' })
  @Answer(200, 'FeedPage')
  @Problems('forbidden', 'invalid_position')
  @Get()
  feed(@CurrentStaff() caller: StaffPrincipal, @Query() query: AuditFeedQueryDto) {
    return this.queries.execute(new AuditFeed(caller, query.after || undefined, query.limit ?? 100));
  }
}
