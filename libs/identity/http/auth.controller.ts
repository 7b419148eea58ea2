import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { IdempotencyExempt } from '@app/request-context';
import { DeploymentAccess } from '../application/deployment-access';
import { LoginService } from '../application/login.service';
import { CurrentPrincipal, OpenToServices, Public } from '../auth/decorators';
import type { Principal } from '../domain/principal';
import { LoginDto } from './identity.dto';
import { clearRefreshCookie, refreshCookie, setRefreshCookie } from './session-cookie';
import { Answer, Problems } from '@app/problem-details';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly logins: LoginService,
    private readonly access: DeploymentAccess,
  ) {}

  @ApiOperation({ summary: 'Sign in with email and password: an access token, and the refresh cookie' })
  @Answer(200, 'AccessToken')
  @Problems('invalid_credentials', 'login_delayed', 'rate_limited')
  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('auth/login')
  @HttpCode(200)
  @IdempotencyExempt() // its answer is an access token: never stored, and a login is safe to repeat
  async login(@Body() body: LoginDto, @Res({ passthrough: true }) res: Response) {
    const access = await this.logins.login(body.email, body.password);
    setRefreshCookie(res, access.refreshToken);
    return access.answer;
  }

  /** A new access token for the refresh token in the cookie, which is rotated: each is good once. */
  @ApiOperation({ summary: 'A new access token for the refresh cookie (which is rotated)' })
  @Answer(200, 'AccessToken')
  @Problems('invalid_session', 'rate_limited')
  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('auth/refresh')
  @HttpCode(200)
  @IdempotencyExempt()
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    try {
      const access = await this.logins.refresh(refreshCookie(req));
      setRefreshCookie(res, access.refreshToken);
      return access.answer;
    } catch (error) {
      clearRefreshCookie(res);
      throw error;
    }
  }

  /** Ends this sign-in: its refresh tokens are revoked and the cookie cleared. Access tokens run out on their own. */
  @ApiOperation({ summary: 'End this sign-in: its refresh tokens revoked, the cookie cleared' })
  @Answer(204, null)
  @Problems()
  @Public()
  @Post('auth/logout')
  @HttpCode(204)
  @IdempotencyExempt()
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.logins.logout(refreshCookie(req));
    clearRefreshCookie(res);
  }

  @ApiOperation({ summary: 'Who the caller is: roles, permissions, the deployments they act in' })
  @Answer(200, 'Me')
  @Problems()
  @ApiBearerAuth()
  @OpenToServices('any')
  @Get('me')
  async me(@CurrentPrincipal() principal: Principal) {
    const deploymentIds = (await this.access.deploymentsOf(principal)).map((d) => d.id);
    if (principal.kind === 'patient') {
      return {
        id: principal.id,
        email: principal.email,
        kind: 'patient',
        roles: ['Patient'],
        permissions: [],
        deploymentIds: principal.deploymentIds,
      };
    }
    if (principal.kind === 'service') {
      return {
        id: principal.id,
        name: principal.name,
        kind: 'service',
        roles: [],
        permissions: [],
        scopes: principal.scopes,
        deploymentIds,
      };
    }
    return {
      id: principal.id,
      email: principal.email,
      kind: 'staff',
      roles: [principal.role],
      permissions: principal.permissions,
      deploymentIds,
    };
  }
}
