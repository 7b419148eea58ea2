import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { IdempotencyExempt } from '@app/request-context';
import { DeploymentAccess } from '../application/deployment-access';
import { LoginService } from '../application/login.service';
import { CurrentPrincipal, Public } from '../auth/decorators';
import type { Principal } from '../domain/principal';
import { LoginDto } from './identity.dto';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly logins: LoginService,
    private readonly access: DeploymentAccess,
  ) {}

  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('auth/login')
  @HttpCode(200)
  @IdempotencyExempt() // its answer is an access token: never stored, and a login is safe to repeat
  login(@Body() body: LoginDto) {
    return this.logins.login(body.email, body.password);
  }

  @ApiBearerAuth()
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
