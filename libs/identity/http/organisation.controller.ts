import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CorrelationId } from '@app/request-context';
import { DeploymentAccess } from '../application/deployment-access';
import { IdentityDirectory } from '../application/identity-directory';
import { OrganisationAdmin } from '../application/organisation-admin.service';
import { StaffAccounts } from '../application/staff-accounts.service';
import { CurrentStaff, DeploymentScoped, RequirePermission, RequireStaff } from '../auth/decorators';
import type { StaffPrincipal } from '../domain/principal';
import { CreateDeploymentDto, CreateRoleDto, CreateStaffDto } from './identity.dto';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller()
export class OrganisationController {
  constructor(
    private readonly admin: OrganisationAdmin,
    private readonly staffAccounts: StaffAccounts,
    private readonly access: DeploymentAccess,
    private readonly directory: IdentityDirectory,
  ) {}

  @RequireStaff()
  @Get('deployments')
  async deployments(@CurrentStaff() caller: StaffPrincipal) {
    return { items: await this.access.deploymentsOf(caller) };
  }

  @RequireStaff()
  @DeploymentScoped()
  @Get('deployments/:deploymentId')
  async deployment(@Param('deploymentId') deploymentId: string) {
    const deployment = await this.directory.deployment(deploymentId);
    return { id: deploymentId, name: deployment!.name };
  }

  @RequirePermission('manage_staff')
  @Post('deployments')
  createDeployment(
    @CurrentStaff() caller: StaffPrincipal,
    @Body() body: CreateDeploymentDto,
    @CorrelationId() correlationId: string,
  ) {
    return this.admin.createDeployment(caller, body.name, correlationId);
  }

  @RequirePermission('manage_staff')
  @Post('staff')
  createStaff(
    @CurrentStaff() caller: StaffPrincipal,
    @Body() body: CreateStaffDto,
    @CorrelationId() correlationId: string,
  ) {
    return this.staffAccounts.create(caller, body, correlationId);
  }

  @RequirePermission('manage_staff')
  @Get('roles')
  async roles() {
    return { items: await this.directory.listRoles() };
  }

  @RequirePermission('manage_staff')
  @Post('roles')
  createRole(
    @CurrentStaff() caller: StaffPrincipal,
    @Body() body: CreateRoleDto,
    @CorrelationId() correlationId: string,
  ) {
    return this.admin.createRole(caller, body.name, body.permissions, correlationId);
  }
}
