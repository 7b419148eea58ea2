import { type DynamicModule, Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { readModelSetup } from '@app/event-processing';
import { IssueInvitationsHandler } from './application/issuing/issue-invitations';
import { ActorNames } from './application/actor-names';
import { DeploymentDefaults } from './application/deployment-defaults';
import { EventExport } from './application/auditing/export-events';
import { InvitationRepository } from './application/invitation-repository';
import { InvitationTokens, TOKEN_SETTINGS, type TokenSettings } from './application/invitation-tokens';
import { CSV_LIMITS } from './application/importing/csv-limits';
import { EVENT_STREAM_SETTINGS, EventStream, type EventStreamSettings } from './application/auditing/event-stream';
import type { CsvLimits } from './application/importing/csv-reader';
import { PreviewCsvHandler } from './application/importing/preview-csv';
import { ExpiryProcessManager } from './application/process-managers/expiry.process-manager';
import { RetentionProcessManager } from './application/process-managers/retention.process-manager';
import { InvitationDataShredder } from './application/process-managers/invitation-data-shredder';
import { InvitationJobs } from './application/process-managers/invitation-jobs';
import { RemindersProcessManager } from './application/process-managers/reminders.process-manager';
import { SystemDecision } from './application/process-managers/system-decision';
import { GenerateLinkHandler } from './application/links/generate-link';
import { RevokeLinkHandler } from './application/links/revoke-link';
import { SignUpThroughLinkHandler } from './application/links/sign-up-through-link';
import { InvitationAccess } from './application/managing/invitation-access';
import { ResendInvitationsHandler } from './application/managing/resend-invitations';
import { ResendInvitationHandler } from './application/managing/resend-invitation';
import { RevokeInvitationHandler } from './application/managing/revoke-invitation';
import { AuditFeedHandler } from './application/auditing/audit-feed';
import { ListLinksHandler } from './application/links/list-links';
import { PeekLinkHandler } from './application/links/peek-link';
import { CountInvitationsHandler } from './application/listing/count-invitations';
import { GetInvitationHandler } from './application/listing/get-invitation';
import { InvitationHistoryHandler } from './application/listing/invitation-history';
import { ListInvitationsHandler } from './application/listing/list-invitations';
import { PeekInvitationHandler } from './application/redeeming/peek-invitation';
import { AcceptInvitationHandler } from './application/redeeming/accept-invitation';
import { AuditController } from './http/audit.controller';
import { InvitationsController } from './http/invitations.controller';
import { LinksController } from './http/links.controller';
import { PublicController } from './http/public.controller';
import { invitationListsMigrations } from './read-model/invitation-lists.schema';
import { ErasePatientHandler } from './application/erasure/erase-patient';
import { ErasureController } from './http/erasure.controller';
import { InvitationListEraser } from './read-model/invitation-list-eraser';
import { InvitationListsProjection } from './read-model/invitation-lists.projection';

const COMMAND_HANDLERS = [
  ErasePatientHandler,
  IssueInvitationsHandler,
  ResendInvitationHandler,
  ResendInvitationsHandler,
  RevokeInvitationHandler,
  GenerateLinkHandler,
  RevokeLinkHandler,
  AcceptInvitationHandler,
  SignUpThroughLinkHandler,
];
const QUERY_HANDLERS = [
  PreviewCsvHandler,
  ListInvitationsHandler,
  GetInvitationHandler,
  InvitationHistoryHandler,
  ListLinksHandler,
  PeekInvitationHandler,
  PeekLinkHandler,
  AuditFeedHandler,
  CountInvitationsHandler,
];

/** Invitations and shareable links: issue, resend, revoke, redeem, sign up, list, history, audit feed. */
@Global()
@Module({})
export class InvitationsModule {
  static forRoot(tokens: TokenSettings, csv: CsvLimits, eventStream: EventStreamSettings): DynamicModule {
    return {
      module: InvitationsModule,
      imports: [CqrsModule],
      controllers: [InvitationsController, LinksController, PublicController, AuditController, ErasureController],
      providers: [
        readModelSetup('invitations', invitationListsMigrations, () => [new InvitationListsProjection()]),
        InvitationRepository,
        InvitationListEraser,
        InvitationTokens,
        InvitationAccess,
        ActorNames,
        EventExport,
        EventStream,
        { provide: EVENT_STREAM_SETTINGS, useValue: eventStream },
        DeploymentDefaults,
        SystemDecision,
        RemindersProcessManager,
        ExpiryProcessManager,
        RetentionProcessManager,
        InvitationDataShredder,
        InvitationJobs,
        { provide: TOKEN_SETTINGS, useValue: tokens },
        { provide: CSV_LIMITS, useValue: csv },
        ...COMMAND_HANDLERS,
        ...QUERY_HANDLERS,
      ],
      exports: [InvitationTokens, InvitationJobs, InvitationRepository],
    };
  }
}
