import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { CorrelationId, ReplayWithout } from '@app/request-context';
import { Public } from '@app/identity';
import { AcceptInvitation } from '../application/redeeming/accept-invitation';
import { SignUpThroughLink } from '../application/links/sign-up-through-link';
import { PeekLink } from '../application/links/peek-link';
import { PeekInvitation } from '../application/redeeming/peek-invitation';
import { AcceptInvitationDto, SignUpDto } from './invitation.dto';
import { Answer, Problems } from '@app/problem-details';

/** What a patient without an account can do with a link: public, rate-limited per client IP. */
@ApiTags('patients')
@Public()
@UseGuards(ThrottlerGuard)
@Controller('public')
export class PublicController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @ApiOperation({ summary: 'What a personal invitation link is for (changes nothing)' })
  @Answer(200, 'InvitationPeek')
  @Problems(
    'invalid_token',
    'invitation_not_found',
    'invitation_expired',
    'invitation_revoked',
    'invitation_superseded',
    'invitation_already_redeemed',
    'rate_limited',
  )
  @Get('invitations/:token')
  peek(@Param('token') token: string) {
    return this.queries.execute(new PeekInvitation(token));
  }

  @ApiOperation({ summary: 'Create the patient account from a personal invitation' })
  @Answer(201, 'Accepted')
  @Problems(
    'invalid_token',
    'invitation_not_found',
    'invitation_expired',
    'invitation_revoked',
    'invitation_superseded',
    'invitation_already_redeemed',
    'weak_password',
    'write_conflict',
    'rate_limited',
  )
  @Post('invitations/:token/accept')
  @ReplayWithout('accessToken') // a replay says who the account is; the token is never stored
  accept(@Param('token') token: string, @Body() body: AcceptInvitationDto, @CorrelationId() correlationId: string) {
    return this.commands.execute(new AcceptInvitation(token, body.password, body.displayName, correlationId));
  }

  @ApiOperation({ summary: 'What a shareable link is for (changes nothing)' })
  @Answer(200, 'LinkPeek')
  @Problems('invalid_token', 'link_not_found', 'link_expired', 'link_revoked', 'rate_limited')
  @Get('invitation-links/:token')
  peekLink(@Param('token') token: string) {
    return this.queries.execute(new PeekLink(token));
  }

  @ApiOperation({ summary: 'Ask for a personal link through a shareable link (always 202)' })
  @Answer(202, 'Empty')
  @Problems('invalid_token', 'link_not_found', 'link_expired', 'link_revoked', 'invalid_email', 'rate_limited')
  @Post('invitation-links/:token/sign-up')
  @HttpCode(202)
  async signUp(
    @Param('token') token: string,
    @Body() body: SignUpDto,
    @CorrelationId() correlationId: string,
  ): Promise<Record<string, never>> {
    await this.commands.execute(new SignUpThroughLink(token, body.email, correlationId));
    return {};
  }
}
