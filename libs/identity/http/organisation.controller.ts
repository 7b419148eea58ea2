import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { Answer, Problems } from '@app/problem-details';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller()
export class OrganisationController {
  constructor(
    private readonly commands: CommandBus,
    private readonly access: DeploymentAccess,
    private readonly directory: IdentityDirectory,
  ) {}

  @ApiOperation({ summary: 'The deployments the caller may act in' })
  @Answer(200, 'Deployments')
  @Problems('forbidden')
  @RequireStaff()
  @Get('deployments')
  async deployments(@CurrentStaff() caller: StaffPrincipal) {
    return { items: await this.access.deploymentsOf(caller) };
  }

  @ApiOperation({ summary: 'One deployment the caller may act in' })
  @Answer(200, 'Deployment')
  @Problems('forbidden', 'not_found')
  @RequireStaff()
  @DeploymentScoped()
  @Get('deployments/:deploymentId')
  async deployment(@Param('deploymentId') deploymentId: string) {
    const deployment = await this.directory.deployment(deploymentId);
    return { id: deploymentId, name: deployment!.name };
  }

  /** Any staff member acting in the deployment reads them (the invite form takes its default expiry from here). */
  @ApiOperation({ summary: "A deployment's settings: language, time zone, sender, defaults, email texts" })
  @Answer(200, 'DeploymentSettings')
  @Problems('forbidden', 'not_found')
  @RequireStaff()
  @DeploymentScoped()
  @Get('deployments/:deploymentId/settings')
  async settings(@Param('deploymentId') deploymentId: string): Promise<DeploymentSettings> {
    return (await this.directory.deployment(deploymentId))!.settings;
  }

  @ApiOperation({ summary: "Change some of a deployment's settings (manage_deployment)" })
  @Answer(200, 'DeploymentSettings')
  @Problems('forbidden', 'not_found', 'deployment_not_found', 'invalid_settings', 'write_conflict')
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

  @ApiOperation({ summary: 'Add a deployment to the organisation (Admin)' })
  @Answer(201, 'Deployment')
  @Problems('forbidden', 'admin_only')
  @RequirePermission('manage_staff')
  @Post('deployments')
  createDeployment(
    @CurrentStaff() caller: StaffPrincipal,
    @Body() body: CreateDeploymentDto,
    @CorrelationId() correlationId: string,
  ) {
    return this.commands.execute(new CreateDeployment(caller, body.name, correlationId));
  }

  @ApiOperation({ summary: 'Create a staff account with a password (manage_staff)' })
  @Answer(201, 'CreatedStaff')
  @Problems(
    'forbidden',
    'invalid_email',
    'weak_password',
    'staff_email_taken',
    'unknown_role',
    'cannot_grant_role',
    'invalid_deployment_scope',
    'invalid_name',
  )
  @RequirePermission('manage_staff')
  @Post('staff')
  createStaff(
    @CurrentStaff() caller: StaffPrincipal,
    @Body() body: CreateStaffDto,
    @CorrelationId() correlationId: string,
  ) {
    return this.commands.execute(new CreateStaffAccount(caller, body, correlationId));
  }

  @ApiOperation({ summary: 'The built-in and custom roles' })
  @Answer(200, 'Roles')
  @Problems('forbidden')
  @RequirePermission('manage_staff')
  @Get('roles')
  async roles() {
    return { items: await this.directory.listRoles() };
  }

  @ApiOperation({ summary: 'Create a custom role from permissions you hold' })
  @Answer(201, 'CreatedRole')
  @Problems('forbidden', 'invalid_name', 'role_exists', 'unknown_role', 'cannot_grant_role')
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
