import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import type { Request } from 'express';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { CorrelationId, IdempotencyExempt } from '@app/request-context';
import { CurrentStaff, DeploymentScoped, RequirePermission, type StaffPrincipal } from '@app/identity';
import { ProblemException } from '@app/problem-details';
import { IssueInvitations } from '../application/issuing/issue-invitations';
import { csvUpload } from '../application/importing/csv-upload';
import { CSV_LIMITS } from '../application/importing/csv-limits';
import type { CsvLimits } from '../application/importing/csv-reader';
import { PreviewCsv } from '../application/importing/preview-csv';
import { ResendInvitation } from '../application/managing/resend-invitation';
import { ResendInvitations } from '../application/managing/resend-invitations';
import { EMAIL_STATUSES } from '../application/invitation-view';
import { RevokeInvitation } from '../application/managing/revoke-invitation';
import { CountInvitations } from '../application/listing/count-invitations';
import { GetInvitation } from '../application/listing/get-invitation';
import { InvitationHistory } from '../application/listing/invitation-history';
import { ListInvitations } from '../application/listing/list-invitations';
import type { InvitationStatus } from '../domain/invitation';
import { InvitationError } from '../domain/invitation-error';
import { IssueInvitationsDto, ListInvitationsQueryDto, ResendInvitationDto, ResendManyDto } from './invitation.dto';
import { commaList } from './comma-list';

const STATUSES: readonly InvitationStatus[] = ['pending', 'expired', 'redeemed', 'revoked'];
const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new InvitationError('invitation_not_found', 'No such invitation'),
});

@ApiTags('invitations')
@ApiBearerAuth()
@RequirePermission('manage_patient_data')
@Controller()
export class InvitationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(CSV_LIMITS) private readonly csvLimits: CsvLimits,
  ) {}

  /** A preview: reads the file as it streams in, classifies every line, sends nothing. */
  @DeploymentScoped()
  @Post('deployments/:deploymentId/invitations/csv-preview')
  @HttpCode(200)
  @IdempotencyExempt() // a preview changes nothing, and its key could not cover a streamed file
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  async csvPreview(@Param('deploymentId') deploymentId: string, @Req() req: Request) {
    try {
      const source = await csvUpload(req, this.csvLimits.maxBytes);
      return await this.queries.execute(new PreviewCsv(deploymentId, source, this.csvLimits));
    } catch (error) {
      req.resume(); // discard what is left of the upload, so the client reads the answer instead of a broken pipe
      throw error;
    }
  }

  @DeploymentScoped()
  @Post('deployments/:deploymentId/invitations')
  issue(
    @Param('deploymentId') deploymentId: string,
    @Body() body: IssueInvitationsDto,
    @CurrentStaff() staff: StaffPrincipal,
    @CorrelationId() correlationId: string,
  ) {
    const context = { actor: { type: 'staff' as const, id: staff.id }, correlationId, causationId: correlationId };
    return this.commands.execute(new IssueInvitations(deploymentId, body.emails, body.expiresIn, context));
  }

  @DeploymentScoped()
  @Get('deployments/:deploymentId/invitations')
  list(@Param('deploymentId') deploymentId: string, @Query() query: ListInvitationsQueryDto) {
    const filter = {
      statuses: commaList('status', query.status ?? 'pending,expired', STATUSES),
      ...(query.emailStatus ? { emailStatuses: commaList('emailStatus', query.emailStatus, EMAIL_STATUSES) } : {}),
      q: query.q,
      limit: query.limit ?? 50,
      cursor: query.cursor,
      channel: query.channel,
      linkId: query.linkId,
    };
    return this.queries.execute(new ListInvitations(deploymentId, filter));
  }

  /** The list's "re-send all expired" and "re-send all failed": one request, the rules of one re-send. */
  @DeploymentScoped()
  @Post('deployments/:deploymentId/invitations/resend')
  @HttpCode(200)
  resendMany(
    @Param('deploymentId') deploymentId: string,
    @Body() body: ResendManyDto,
    @CurrentStaff() staff: StaffPrincipal,
    @CorrelationId() correlationId: string,
  ) {
    return this.commands.execute(new ResendInvitations(staff, deploymentId, body.which, body.expiresIn, correlationId));
  }

  /** Per status, for the counts above the list (added to API.md's contract). */
  @DeploymentScoped()
  @Get('deployments/:deploymentId/invitations/counts')
  counts(@Param('deploymentId') deploymentId: string) {
    return this.queries.execute(new CountInvitations(deploymentId));
  }

  @Get('invitations/:id')
  get(@Param('id', uuid) id: string, @CurrentStaff() staff: StaffPrincipal) {
    return this.queries.execute(new GetInvitation(staff, id));
  }

  @Post('invitations/:id/resend')
  @HttpCode(200)
  resend(
    @Param('id', uuid) id: string,
    @Body() body: ResendInvitationDto,
    @CurrentStaff() staff: StaffPrincipal,
    @CorrelationId() correlationId: string,
  ) {
    return this.commands.execute(new ResendInvitation(staff, id, body.expiresIn, correlationId));
  }

  @Delete('invitations/:id')
  @HttpCode(204)
  async revoke(
    @Param('id', uuid) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @CorrelationId() correlationId: string,
  ): Promise<void> {
    try {
      await this.commands.execute(new RevokeInvitation(staff, id, correlationId));
    } catch (error) {
      // For staff a redeemed invitation is a conflict with their request, not a dead link (API.md: 409).
      if (error instanceof InvitationError && error.code === 'invitation_already_redeemed')
        throw new ProblemException(409, error.code, error.message);
      throw error;
    }
  }

  @Get('invitations/:id/history')
  history(@Param('id', uuid) id: string, @CurrentStaff() staff: StaffPrincipal) {
    return this.queries.execute(new InvitationHistory(staff, id));
  }
}
