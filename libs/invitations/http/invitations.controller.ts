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
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CorrelationId, IdempotencyExempt } from '@app/request-context';
import {
  actorOf,
  CurrentOperator,
  DeploymentScoped,
  OpenToServices,
  type Operator,
  RequirePermission,
} from '@app/identity';
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
import {
  AsOfQueryDto,
  IssueInvitationsDto,
  ListInvitationsQueryDto,
  ResendInvitationDto,
  ResendManyDto,
} from './invitation.dto';
import { commaList } from './comma-list';
import { Answer, Problems } from '@app/problem-details';

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
  @ApiOperation({ summary: 'Check a CSV file of addresses line by line; sends nothing' })
  @Answer(200, 'CsvPreview')
  @Problems('forbidden', 'not_found', 'invalid_csv', 'too_many_rows', 'file_too_large')
  @DeploymentScoped()
  @OpenToServices('invitations:write')
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

  @ApiOperation({ summary: 'Invite up to 10,000 addresses (all-or-nothing on validation)' })
  @Answer(201, 'IssueResult')
  @Problems('forbidden', 'not_found', 'invalid_emails', 'invalid_expiry', 'write_conflict')
  @DeploymentScoped()
  @OpenToServices('invitations:write')
  @Post('deployments/:deploymentId/invitations')
  issue(
    @Param('deploymentId') deploymentId: string,
    @Body() body: IssueInvitationsDto,
    @CurrentOperator() staff: Operator,
    @CorrelationId() correlationId: string,
  ) {
    const context = { actor: actorOf(staff), correlationId, causationId: correlationId };
    return this.commands.execute(new IssueInvitations(deploymentId, body.emails, body.expiresIn, context));
  }

  @ApiOperation({ summary: "A deployment's invitations, newest first, filtered, by cursor" })
  @Answer(200, 'InvitationPage')
  @Problems('forbidden', 'not_found', 'invalid_query', 'invalid_cursor', 'invalid_as_of')
  @DeploymentScoped()
  @OpenToServices('invitations:read')
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
      ...(query.asOf ? { asOf: new Date(query.asOf) } : {}),
    };
    return this.queries.execute(new ListInvitations(deploymentId, filter));
  }

  /** The list's "re-send all expired" and "re-send all failed": one request, the rules of one re-send. */
  @ApiOperation({ summary: 'Re-send every expired, or every failed, invitation of a deployment' })
  @Answer(200, 'BulkResendResult')
  @Problems('forbidden', 'not_found', 'invalid_expiry', 'write_conflict')
  @DeploymentScoped()
  @OpenToServices('invitations:write')
  @Post('deployments/:deploymentId/invitations/resend')
  @HttpCode(200)
  resendMany(
    @Param('deploymentId') deploymentId: string,
    @Body() body: ResendManyDto,
    @CurrentOperator() staff: Operator,
    @CorrelationId() correlationId: string,
  ) {
    return this.commands.execute(new ResendInvitations(staff, deploymentId, body.which, body.expiresIn, correlationId));
  }

  /** Per status, for the counts above the list (added to API.md's contract). */
  @ApiOperation({ summary: "How many of a deployment's invitations are in each status" })
  @Answer(200, 'InvitationCounts')
  @Problems('forbidden', 'not_found')
  @DeploymentScoped()
  @OpenToServices('invitations:read')
  @Get('deployments/:deploymentId/invitations/counts')
  counts(@Param('deploymentId') deploymentId: string) {
    return this.queries.execute(new CountInvitations(deploymentId));
  }

  @ApiOperation({ summary: 'One invitation' })
  @Answer(200, 'Invitation')
  @Problems('forbidden', 'invitation_not_found', 'invalid_as_of')
  @OpenToServices('invitations:read')
  @Get('invitations/:id')
  get(@Param('id', uuid) id: string, @CurrentOperator() staff: Operator, @Query() query: AsOfQueryDto) {
    return this.queries.execute(new GetInvitation(staff, id, query.asOf ? new Date(query.asOf) : undefined));
  }

  @ApiOperation({ summary: 'Re-send an invitation: a new link, a new email, the old link dead' })
  @Answer(200, 'Invitation')
  @Problems('forbidden', 'invitation_not_found', 'invitation_not_resendable', 'invalid_expiry', 'write_conflict')
  @OpenToServices('invitations:write')
  @Post('invitations/:id/resend')
  @HttpCode(200)
  resend(
    @Param('id', uuid) id: string,
    @Body() body: ResendInvitationDto,
    @CurrentOperator() staff: Operator,
    @CorrelationId() correlationId: string,
  ) {
    return this.commands.execute(new ResendInvitation(staff, id, body.expiresIn, correlationId));
  }

  @ApiOperation({ summary: 'Delete an invitation: its link stops working' })
  @Answer(204, null)
  @Problems('forbidden', 'invitation_not_found', ['invitation_already_redeemed', 409], 'write_conflict')
  @OpenToServices('invitations:write')
  @Delete('invitations/:id')
  @HttpCode(204)
  async revoke(
    @Param('id', uuid) id: string,
    @CurrentOperator() staff: Operator,
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

  @ApiOperation({ summary: "An invitation's events and what became of each email, in log order" })
  @Answer(200, 'History')
  @Problems('forbidden', 'invitation_not_found')
  @OpenToServices('invitations:read')
  @Get('invitations/:id/history')
  history(@Param('id', uuid) id: string, @CurrentOperator() staff: Operator) {
    return this.queries.execute(new InvitationHistory(staff, id));
  }
}
