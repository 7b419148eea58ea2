import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CorrelationId } from '@app/request-context';
import { DeploymentAccess } from '../application/deployment-access';
import { IdentityDirectory } from '../application/identity-directory';
import { CreateCustomRole } from '../application/organisation/create-custom-role';
import { ChangeDeploymentSettings } from '../application/deployments/change-deployment-settings';
import { CreateDeployment } from '../application/deployments/create-deployment';
import { CreateStaffAccount } from '../application/staff/create-staff-account';
import { CurrentStaff, DeploymentScoped, RequirePermission, RequireStaff } from '../auth/decorators';
import type { DeploymentSettings } from '../domain/deployment-settings';
import type { StaffPrincipal } from '../domain/principal';
import { CreateDeploymentDto, CreateRoleDto, CreateStaffDto, DeploymentSettingsDto } from './identity.dto';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller()
export class OrganisationController {
  constructor(
    private readonly commands: CommandBus,
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

  /** Any staff member acting in the deployment reads them (the invite form takes its default expiry from here). */
  @RequireStaff()
  @DeploymentScoped()
  @Get('deployments/:deploymentId/settings')
  async settings(@Param('deploymentId') deploymentId: string): Promise<DeploymentSettings> {
    return (await this.directory.deployment(deploymentId))!.settings;
  }

  @RequirePermission('manage_deployment')
  @DeploymentScoped()
  @Patch('deployments/:deploymentId/settings')
  changeSettings(
    @CurrentStaff() caller: StaffPrincipal,
    @Param('deploymentId') deploymentId: string,
    @Body() body: DeploymentSettingsDto,
    @CorrelationId() correlationId: string,
  ): Promise<DeploymentSettings> {
    return this.commands.execute(new ChangeDeploymentSettings(caller, deploymentId, body, correlationId));
  }

  @RequirePermission('manage_staff')
  @Post('deployments')
  createDeployment(
    @CurrentStaff() caller: StaffPrincipal,
    @Body() body: CreateDeploymentDto,
    @CorrelationId() correlationId: string,
  ) {
    return this.commands.execute(new CreateDeployment(caller, body.name, correlationId));
  }

  @RequirePermission('manage_staff')
  @Post('staff')
  createStaff(
    @CurrentStaff() caller: StaffPrincipal,
    @Body() body: CreateStaffDto,
    @CorrelationId() correlationId: string,
  ) {
    return this.commands.execute(new CreateStaffAccount(caller, body, correlationId));
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
    return this.commands.execute(new CreateCustomRole(caller, body.name, body.permissions, correlationId));
  }
}
