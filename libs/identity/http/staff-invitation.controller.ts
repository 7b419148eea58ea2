import { Body, Controller, Get, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { CorrelationId, IdempotencyExempt } from '@app/request-context';
import { StaffInvitations } from '../application/staff/staff-invitations';
import { Public } from '../auth/decorators';
import { AcceptStaffInvitationDto } from './identity.dto';
import { Answer, Problems } from '@app/problem-details';

/** The page behind a staff invitation's link: public, rate-limited per client like sign-in. */
@ApiTags('auth')
@Public()
@UseGuards(ThrottlerGuard)
@Controller('public/staff-invitations')
export class StaffInvitationController {
  constructor(private readonly invitations: StaffInvitations) {}

  @ApiOperation({ summary: 'What a staff invitation link is for (changes nothing)' })
  @Answer(200, 'StaffInvitationPeek')
  @Problems('invalid_staff_invitation', 'staff_invitation_used', 'staff_invitation_expired', 'rate_limited')
  @Get(':token')
  peek(@Param('token') token: string) {
    return this.invitations.peek(token);
  }

  /** 201 {id, email}: the account exists; they sign in with the password they chose. */
  @ApiOperation({ summary: 'Accept a staff invitation: name, password, and the account exists' })
  @Answer(201, 'AcceptedStaffInvitation')
  @Problems(
    'invalid_staff_invitation',
    'staff_invitation_used',
    'staff_invitation_expired',
    'weak_password',
    'invalid_name',
    'rate_limited',
  )
  @Post(':token/accept')
  @IdempotencyExempt() // carries a password; a repeat is answered 410 staff_invitation_used
  accept(
    @Param('token') token: string,
    @Body() body: AcceptStaffInvitationDto,
    @CorrelationId() correlationId: string,
  ) {
    return this.invitations.accept(token, body.name, body.password, correlationId);
  }
}
