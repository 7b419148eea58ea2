import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, RequirePermission, type StaffPrincipal } from '@app/identity';
import { AuditFeed } from '../application/auditing/audit-feed';
import { AuditFeedQueryDto } from './invitation.dto';

@ApiTags('audit')
@ApiBearerAuth()
@RequirePermission('view_audit_log')
@Controller('events')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  feed(@CurrentStaff() caller: StaffPrincipal, @Query() query: AuditFeedQueryDto) {
    return this.queries.execute(new AuditFeed(caller, query.after || undefined, query.limit ?? 100));
  }
}
