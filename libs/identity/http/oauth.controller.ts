import { Body, Controller, Headers, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Answer, ProblemException, Problems } from '@app/problem-details';
import { IdempotencyExempt } from '@app/request-context';
import { ServiceAccounts } from '../application/service-accounts/service-accounts';
import { Public } from '../auth/decorators';
import { IdentityError } from '../domain/identity-error';
import { OAuthTokenDto } from './identity.dto';

/**
 * The OAuth 2.0 token endpoint, client credentials grant only (RFC 6749, section 4.4). The client
 * authenticates with `client_id` and `client_secret` in the form, or with HTTP Basic (section 2.3.1).
 * Errors are problems with our `code` and OAuth's `error` (section 5.2) side by side.
 */
@ApiTags('service accounts')
@Controller('oauth')
export class OAuthController {
  constructor(private readonly accounts: ServiceAccounts) {}

  @ApiOperation({ summary: "Exchange a service account's client id and secret for an access token" })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: OAuthTokenDto })
  @Answer(200, 'OAuthToken')
  @Problems(
    ['invalid_request', 400],
    ['unsupported_grant_type', 400],
    'invalid_client',
    ['invalid_scope', 400],
    'rate_limited',
  )
  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('token')
  @HttpCode(200)
  @IdempotencyExempt() // the answer is an access token: never stored
  async token(@Body() body: unknown, @Headers('authorization') authorization: string | undefined) {
    const form = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    if (form.grant_type !== 'client_credentials')
      throw oauthProblem(400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported');
    const basic = basicCredentials(authorization);
    const clientId = basic?.id ?? form.client_id;
    const clientSecret = basic?.secret ?? form.client_secret;
    const scope = form.scope;
    if (
      typeof clientId !== 'string' ||
      typeof clientSecret !== 'string' ||
      (scope !== undefined && typeof scope !== 'string')
    )
      throw oauthProblem(400, 'invalid_request', 'client_id and client_secret are required, once each');
    try {
      return await this.accounts.issueToken(clientId, clientSecret, scope);
    } catch (error) {
      if (!(error instanceof IdentityError)) throw error;
      if (error.code === 'invalid_client')
        throw oauthProblem(401, 'invalid_client', error.message, basic ? { 'WWW-Authenticate': 'Basic' } : {});
      throw oauthProblem(400, 'invalid_scope', error.message);
    }
  }
}

function oauthProblem(status: number, code: string, detail: string, headers: Record<string, string> = {}) {
  return new ProblemException(status, code, detail, undefined, headers, { error: code, error_description: detail });
}

/** `Authorization: Basic base64(id:secret)`, each part form-encoded first (RFC 6749, section 2.3.1). */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}
