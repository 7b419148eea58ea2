import { type DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ConfigModule } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import { ScheduleModule } from '@nestjs/schedule';
import { IDENTITY_PERSONAL_FIELDS, IdentityModule, PasswordResets, StaffInvitations } from '@app/identity';
import { IntegrityModule } from '@app/integrity';
import { INVITATION_PERSONAL_FIELDS, InvitationsModule, InvitationTokens } from '@app/invitations';
import { NotificationsModule } from '@app/notifications';
import { WebhooksModule } from '@app/webhooks';
import { TestClockController } from './testing/test-clock.controller';
import { LoggerModule } from 'nestjs-pino';
import { CLOCK, type Clock, ControllableClock, SystemClock } from '@app/clock';
import { EventStoreModule } from '@app/event-store-adapters';
import { readModelSetup } from '@app/event-processing';
import {
  IdempotencyEraser,
  IdempotencyHousekeeping,
  IdempotencyInterceptor,
  idempotencyMigrations,
} from '@app/request-context';
import { APP_CONFIG, type AppConfig, listensOnLoopback } from './config/app-config';
import { HealthController } from './health/health.controller';
import { PublicConfigController } from './public-config/public-config.controller';
import { loggerParams } from './logging/request-logging';
import { mailLinks } from './mail-links';
import { SqlThrottlerStorage } from './rate-limits/sql-throttler-storage';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';

@Module({})
export class AppModule {
  /** `replay`: processors only run when asked, and nothing is bootstrapped (the replay and admin scripts). */
  static forRoot(config: AppConfig, { replay = false } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ app: config })] }),
        LoggerModule.forRoot(loggerParams(config.logLevel)),
        EventStoreModule.forRoot({
          kind: config.eventStore,
          dataDir: config.dataDir,
          databaseUrl: config.databaseUrl,
          eventStoreUrl: config.eventStoreUrl,
          clock: config.testClock ? new ControllableClock() : new SystemClock(),
          personalData: {
            secret: config.personalDataKey,
            rules: [...INVITATION_PERSONAL_FIELDS, ...IDENTITY_PERSONAL_FIELDS],
          },
          startProcessors: !replay,
        }),
        ThrottlerModule.forRootAsync({
          inject: [SQL_DATABASE, CLOCK],
          useFactory: (db: SqlDatabase, clock: Clock) => ({
            throttlers: [{ ttl: 60_000, limit: config.publicRateLimit }],
            // One count per client across every public and sign-in route, not one per route.
            generateKey: (_context, tracker, name) => `${name}:${tracker}`,
            // Shared by every instance on PostgreSQL; SQLite is one instance, so memory does.
            storage: db.dialect === 'postgres' ? new SqlThrottlerStorage(db, clock) : undefined,
          }),
        }),
        IdentityModule.forRoot({
          jwtSecret: config.jwtSecret,
          links: { keys: config.tokenKeys, appBaseUrl: config.appBaseUrl },
          passwordHashCost: config.passwordHashCost,
          bootstrap: {
            adminEmail: config.bootstrapAdmin.email,
            adminPassword: config.bootstrapAdmin.password,
            production: config.production,
            enabled: !replay,
          },
        }),
        IntegrityModule.forRoot({ signingSecret: config.auditSigningKey }),
        InvitationsModule.forRoot(
          { keys: config.tokenKeys, appBaseUrl: config.appBaseUrl },
          config.csv,
          config.eventStream,
        ),
        NotificationsModule.forRoot(
          {
            transport: config.mail.transport,
            // The outbox shows every email with its link: only to this machine, or to tests that move the clock.
            exposeOutbox: config.mail.transport === 'outbox' && (listensOnLoopback(config.host) || config.testClock),
            mailgun: config.mail.mailgun,
            from: config.mail.from,
            downloadUrl: config.appDownloadUrl,
            dispatcher: {
              maxAttempts: config.mail.maxAttempts,
              baseBackoffMs: 1000,
              maxBackoffMs: 10 * 60_000,
              pollMs: 500,
              autoStart: !replay,
            },
          },
          {
            inject: [InvitationTokens, PasswordResets, StaffInvitations, CLOCK],
            useFactory: (tokens: InvitationTokens, resets: PasswordResets, staff: StaffInvitations, clock: Clock) =>
              mailLinks(tokens, resets, staff, clock),
          } as never,
        ),
        WebhooksModule.forRoot({
          keys: config.tokenKeys,
          network: { allowedNetworks: config.webhookAllowedNetworks, allowLoopback: config.testClock },
          autoStart: !replay,
        }),
        ...(replay ? [] : [ScheduleModule.forRoot()]),
      ],
      controllers: [HealthController, PublicConfigController, ...(config.testClock ? [TestClockController] : [])],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        readModelSetup('http', idempotencyMigrations),
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        IdempotencyEraser,
        IdempotencyHousekeeping,
      ],
      exports: [APP_CONFIG],
    };
  }
}
