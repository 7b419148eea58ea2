import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answer, Problems } from '@app/problem-details';
import { CorrelationId, ReplayWithout } from '@app/request-context';
import { ServiceAccounts } from '../application/service-accounts/service-accounts';
import { CurrentStaff, RequirePermission } from '../auth/decorators';
import { IdentityError } from '../domain/identity-error';
import type { StaffPrincipal } from '../domain/principal';
import { CreateServiceAccountDto } from './identity.dto';

const uuid = new ParseUUIDPipe({ version: '4', errorHttpStatusCode: 404 });

/**
 * Accounts for other services (OAuth 2.0 client credentials). They act for the organisation, so only
 * an organisation-wide role holding `manage_service_accounts` (Admin) manages them. A secret is in
 * an answer once, when made or rotated: a request repeated with its Idempotency-Key gets the same
 * answer without it, and makes no second account or secret.
 */
@ApiTags('service accounts')
@ApiBearerAuth()
@RequirePermission('manage_service_accounts')
@Controller('service-accounts')
export class ServiceAccountsController {
  constructor(private readonly accounts: ServiceAccounts) {}

  @ApiOperation({ summary: 'Create a service account; its client secret is shown once' })
  @Answer(201, 'CreatedServiceAccount')
  @Problems('forbidden', 'admin_only', 'invalid_scopes', 'invalid_name', 'deployment_not_found')
  @Post()
  @ReplayWithout('clientSecret')
  create(
    @CurrentStaff() staff: StaffPrincipal,
    @Body() body: CreateServiceAccountDto,
    @CorrelationId() correlationId: string,
  ) {
    return this.accounts.create(organisationWide(staff), body, correlationId);
  }

  @ApiOperation({ summary: "The organisation's service accounts (never their secrets)" })
  @Answer(200, 'ServiceAccounts')
  @Problems('forbidden', 'admin_only')
  @Get()
  async list(@CurrentStaff() staff: StaffPrincipal) {
    return { items: await this.accounts.list(organisationWide(staff)) };
  }

  @ApiOperation({ summary: 'A new client secret, shown once; the old one and its tokens stop working' })
  @Answer(200, 'ClientCredentials')
  @Problems('forbidden', 'admin_only', 'service_account_not_found', 'service_account_revoked', 'write_conflict')
  @Post(':id/secret')
  @HttpCode(200)
  @ReplayWithout('clientSecret')
  rotate(@Param('id', uuid) id: string, @CurrentStaff() staff: StaffPrincipal, @CorrelationId() correlationId: string) {
    return this.accounts.rotate(organisationWide(staff), id, correlationId);
  }

  @ApiOperation({ summary: 'Revoke a service account for good: its tokens are refused from the next request' })
  @Answer(204, null)
  @Problems('forbidden', 'admin_only', 'service_account_not_found', 'service_account_revoked', 'write_conflict')
  @Delete(':id')
  @HttpCode(204)
  async revoke(
    @Param('id', uuid) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @CorrelationId() correlationId: string,
  ): Promise<void> {
    await this.accounts.revoke(organisationWide(staff), id, correlationId);
  }
}

function organisationWide(staff: StaffPrincipal): StaffPrincipal {
  if (staff.scope !== 'organisation')
    throw new IdentityError('admin_only', 'Service accounts are managed through an organisation-wide role');
  return staff;
}
