import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CorrelationId } from '@app/request-context';
import { DeploymentAccess } from '../application/deployment-access';
import { IdentityDirectory } from '../application/identity-directory';
import { CreateCustomRole } from '../application/organisation/create-custom-role';
import { CreateDeployment } from '../application/organisation/create-deployment';
import { CreateStaffAccount } from '../application/staff/create-staff-account';
import { CurrentStaff, DeploymentScoped, RequirePermission, RequireStaff } from '../auth/decorators';
import type { StaffPrincipal } from '../domain/principal';
import { CreateDeploymentDto, CreateRoleDto, CreateStaffDto } from './identity.dto';

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
