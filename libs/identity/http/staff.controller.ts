import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CorrelationId } from '@app/request-context';
import { GetStaff } from '../application/staff/get-staff';
import { ListStaff } from '../application/staff/list-staff';
import { SetStaffActivation } from '../application/staff/set-staff-activation';
import { UpdateStaff } from '../application/staff/update-staff';
import { CurrentStaff, RequirePermission } from '../auth/decorators';
import { IdentityError } from '../domain/identity-error';
import type { StaffPrincipal } from '../domain/principal';
import { InviteStaffDto, ListStaffQueryDto, UpdateStaffDto } from './identity.dto';
import { StaffInvitations } from '../application/staff/staff-invitations';

const staffId = new ParseUUIDPipe({
  exceptionFactory: () => new IdentityError('staff_not_found', 'No such member of staff'),
});

/** The staff directory for managers (manage_staff): list, look up, change roles, switch off and on. */
@ApiTags('organisation')
@ApiBearerAuth()
@RequirePermission('manage_staff')
@Controller('staff')
export class StaffController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly invitations: StaffInvitations,
  ) {}

  /** Emails a one-time link; the account is made when they accept it. 201 {id, email, name, role, expiresAt}. */
  @Post('invitations')
  invite(
    @CurrentStaff() manager: StaffPrincipal,
    @Body() body: InviteStaffDto,
    @CorrelationId() correlationId: string,
  ) {
    return this.invitations.invite(manager, body, correlationId);
  }

  @Get()
  list(@CurrentStaff() manager: StaffPrincipal, @Query() query: ListStaffQueryDto) {
    return this.queries.execute(
      new ListStaff(manager, { q: query.q || undefined, limit: query.limit ?? 50, cursor: query.cursor || undefined }),
    );
  }

  @Get(':id')
  get(@CurrentStaff() manager: StaffPrincipal, @Param('id', staffId) id: string) {
    return this.queries.execute(new GetStaff(manager, id));
  }

  @Patch(':id')
  update(
    @CurrentStaff() manager: StaffPrincipal,
    @Param('id', staffId) id: string,
    @Body() body: UpdateStaffDto,
    @CorrelationId() correlationId: string,
  ) {
    return this.commands.execute(new UpdateStaff(manager, id, body, correlationId));
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  deactivate(
    @CurrentStaff() manager: StaffPrincipal,
    @Param('id', staffId) id: string,
    @CorrelationId() correlationId: string,
  ) {
    return this.commands.execute(new SetStaffActivation(manager, id, false, correlationId));
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  reactivate(
    @CurrentStaff() manager: StaffPrincipal,
    @Param('id', staffId) id: string,
    @CorrelationId() correlationId: string,
  ) {
    return this.commands.execute(new SetStaffActivation(manager, id, true, correlationId));
  }
}
