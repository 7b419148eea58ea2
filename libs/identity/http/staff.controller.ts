import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { Answer, Problems } from '@app/problem-details';

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
  @ApiOperation({ summary: 'Invite a member of staff by email: they choose their password' })
  @Answer(201, 'StaffInvitation')
  @Problems(
    'forbidden',
    'invalid_email',
    'staff_email_taken',
    'unknown_role',
    'cannot_grant_role',
    'invalid_deployment_scope',
    'invalid_name',
  )
  @Post('invitations')
  invite(
    @CurrentStaff() manager: StaffPrincipal,
    @Body() body: InviteStaffDto,
    @CorrelationId() correlationId: string,
  ) {
    return this.invitations.invite(manager, body, correlationId);
  }

  @ApiOperation({ summary: 'The staff directory, searchable, by cursor' })
  @Answer(200, 'StaffPage')
  @Problems('forbidden', 'invalid_cursor')
  @Get()
  list(@CurrentStaff() manager: StaffPrincipal, @Query() query: ListStaffQueryDto) {
    return this.queries.execute(
      new ListStaff(manager, { q: query.q || undefined, limit: query.limit ?? 50, cursor: query.cursor || undefined }),
    );
  }

  @ApiOperation({ summary: 'One member of staff' })
  @Answer(200, 'Staff')
  @Problems('forbidden', 'staff_not_found')
  @Get(':id')
  get(@CurrentStaff() manager: StaffPrincipal, @Param('id', staffId) id: string) {
    return this.queries.execute(new GetStaff(manager, id));
  }

  @ApiOperation({ summary: "Change a member of staff's name, role or deployments" })
  @Answer(200, 'Staff')
  @Problems(
    'forbidden',
    'staff_not_found',
    'cannot_manage_self',
    'unknown_role',
    'cannot_grant_role',
    'invalid_deployment_scope',
    'invalid_name',
    'write_conflict',
  )
  @Patch(':id')
  update(
    @CurrentStaff() manager: StaffPrincipal,
    @Param('id', staffId) id: string,
    @Body() body: UpdateStaffDto,
    @CorrelationId() correlationId: string,
  ) {
    return this.commands.execute(new UpdateStaff(manager, id, body, correlationId));
  }

  @ApiOperation({ summary: 'Switch a member of staff off: their tokens stop working at once' })
  @Answer(200, 'Staff')
  @Problems('forbidden', 'staff_not_found', 'cannot_manage_self', 'cannot_grant_role', 'write_conflict')
  @Post(':id/deactivate')
  @HttpCode(200)
  deactivate(
    @CurrentStaff() manager: StaffPrincipal,
    @Param('id', staffId) id: string,
    @CorrelationId() correlationId: string,
  ) {
    return this.commands.execute(new SetStaffActivation(manager, id, false, correlationId));
  }

  @ApiOperation({ summary: 'Switch a member of staff on again' })
  @Answer(200, 'Staff')
  @Problems('forbidden', 'staff_not_found', 'cannot_manage_self', 'cannot_grant_role', 'write_conflict')
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
