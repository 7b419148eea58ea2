import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { CorrelationId, IdempotencyExempt } from '@app/request-context';
import { LoginService } from '../application/login.service';
import { Passwords } from '../application/passwords/passwords';
import { CurrentPrincipal } from '../auth/decorators';
import { IdentityError } from '../domain/identity-error';
import type { Principal } from '../domain/principal';
import { ChangePasswordDto } from './identity.dto';
import { setRefreshCookie } from './session-cookie';
import { Answer, ProblemException, Problems } from '@app/problem-details';

/** What every signed-in account does for itself. */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly passwords: Passwords,
    private readonly logins: LoginService,
  ) {}

  /**
   * A new password, the current one required. Every other session ends; this one goes on with a
   * new access token and refresh cookie.
   */
  @ApiOperation({ summary: 'Change your own password (the current one required); other sessions end' })
  @Answer(200, 'AccessToken')
  @Problems('wrong_password', 'weak_password', 'write_conflict', 'rate_limited', 'forbidden')
  @UseGuards(ThrottlerGuard)
  @Post('password')
  @HttpCode(200)
  @IdempotencyExempt() // the answer is an access token: never stored
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ChangePasswordDto,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (principal.kind === 'service')
      throw new ProblemException(403, 'forbidden', 'A service account has a secret, not a password: rotate it');
    if (!(await this.passwords.isCurrent(principal.kind, principal.id, body.currentPassword)))
      throw new IdentityError('wrong_password', 'The current password is not right', 'currentPassword');
    await this.passwords.set({
      kind: principal.kind,
      accountId: principal.id,
      password: body.newPassword,
      reason: 'changed',
      actor: { type: principal.kind, id: principal.id },
      correlationId,
    });
    const signedIn = await this.logins.signIn(principal.kind, principal.id);
    setRefreshCookie(res, signedIn.refreshToken);
    return signedIn.answer;
  }
}
