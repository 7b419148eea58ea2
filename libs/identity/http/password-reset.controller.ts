import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { CorrelationId, IdempotencyExempt } from '@app/request-context';
import { PasswordResets } from '../application/passwords/password-resets';
import { Public } from '../auth/decorators';
import { PasswordResetDto, RequestPasswordResetDto } from './identity.dto';
import { Answer, Problems } from '@app/problem-details';

/** Forgotten passwords, for staff and patients: public, rate-limited per client like sign-in. */
@ApiTags('auth')
@Public()
@UseGuards(ThrottlerGuard)
@Controller('public/password-reset')
export class PasswordResetController {
  constructor(private readonly resets: PasswordResets) {}

  /** Always 202: the answer never says whether the address has an account or whether an email went. */
  @ApiOperation({ summary: 'Ask for a password reset link (always 202, whatever the address)' })
  @Answer(202, 'Empty')
  @Problems('rate_limited')
  @Post()
  @HttpCode(202)
  async request(@Body() body: RequestPasswordResetDto, @CorrelationId() correlationId: string) {
    await this.resets.request(body.email, correlationId);
    return {};
  }

  /** A new password through the emailed link: once, within its hour; every session of the account ends. */
  @ApiOperation({ summary: 'Set a new password through the emailed link, once' })
  @Answer(204, null)
  @Problems('invalid_reset_link', 'reset_link_expired', 'weak_password', 'rate_limited')
  @Post(':token')
  @HttpCode(204)
  @IdempotencyExempt() // carries a password; a replay cannot help
  async reset(@Param('token') token: string, @Body() body: PasswordResetDto, @CorrelationId() correlationId: string) {
    await this.resets.complete(token, body.password, correlationId);
  }
}
