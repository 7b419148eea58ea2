import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CorrelationId } from '@app/request-context';
import { CurrentStaff, DeploymentScoped, RequirePermission, type StaffPrincipal } from '@app/identity';
import { GenerateLink } from '../application/links/generate-link';
import { RevokeLink } from '../application/links/revoke-link';
import { ListLinks } from '../application/links/list-links';
import { InvitationError } from '../domain/invitation-error';
import { GenerateLinkDto } from './invitation.dto';
import { Answer, Problems } from '@app/problem-details';

@ApiTags('shareable links')
@ApiBearerAuth()
@RequirePermission('manage_patient_data')
@Controller()
export class LinksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @ApiOperation({ summary: 'Create a shareable sign-up link' })
  @Answer(201, 'GeneratedLink')
  @Problems('forbidden', 'not_found', 'invalid_expiry')
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

  @ApiOperation({ summary: "A deployment's shareable links with their sign-up counts" })
  @Answer(200, 'ShareableLinks')
  @Problems('forbidden', 'not_found')
  @DeploymentScoped()
  @Get('deployments/:deploymentId/invitation-links')
  list(@Param('deploymentId') deploymentId: string) {
    return this.queries.execute(new ListLinks(deploymentId));
  }

  @ApiOperation({ summary: 'Withdraw a shareable link' })
  @Answer(204, null)
  @Problems('forbidden', 'link_not_found', 'write_conflict')
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
