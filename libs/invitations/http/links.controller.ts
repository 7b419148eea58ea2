import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CorrelationId } from '@app/request-context';
import { CurrentStaff, DeploymentScoped, RequirePermission, type StaffPrincipal } from '@app/identity';
import { GenerateLink } from '../application/links/generate-link';
import { RevokeLink } from '../application/links/revoke-link';
import { ListLinks } from '../application/links/list-links';
import { InvitationError } from '../domain/invitation-error';
import { GenerateLinkDto } from './invitation.dto';

@ApiTags('shareable links')
@ApiBearerAuth()
@RequirePermission('manage_patient_data')
@Controller()
export class LinksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @DeploymentScoped()
  @Post('deployments/:deploymentId/invitation-links')
  generate(
    @Param('deploymentId') deploymentId: string,
    @Body() body: GenerateLinkDto,
    @CurrentStaff() staff: StaffPrincipal,
    @CorrelationId() correlationId: string,
  ) {
    return this.commands.execute(new GenerateLink(staff, deploymentId, body.expiresIn, correlationId));
  }

  @DeploymentScoped()
  @Get('deployments/:deploymentId/invitation-links')
  list(@Param('deploymentId') deploymentId: string) {
    return this.queries.execute(new ListLinks(deploymentId));
  }

  @Delete('invitation-links/:id')
  @HttpCode(204)
  async revoke(
    @Param(
      'id',
      new ParseUUIDPipe({ exceptionFactory: () => new InvitationError('link_not_found', 'No such shareable link') }),
    )
    id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @CorrelationId() correlationId: string,
  ): Promise<void> {
    await this.commands.execute(new RevokeLink(staff, id, correlationId));
  }
}
