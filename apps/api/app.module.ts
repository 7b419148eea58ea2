import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { ScheduleModule } from '@nestjs/schedule';
import { IdentityModule } from '@app/identity';
import { InvitationsModule } from '@app/invitations';
import { TestClockController } from './testing/test-clock.controller';
import { LoggerModule } from 'nestjs-pino';
import { ControllableClock, EventStoreModule, SystemClock } from '@app/event-store';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { HealthController } from './health/health.controller';
import { loggerParams } from './logging/request-logging';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ app: config })] }),
        LoggerModule.forRoot(loggerParams(config.logLevel)),
        EventStoreModule.forRoot({
          kind: config.eventStore === 'postgres' ? 'postgres' : 'sqlite',
          dataDir: config.dataDir,
          databaseUrl: config.databaseUrl,
          clock: config.testClock ? new ControllableClock() : new SystemClock(),
        }),
        TerminusModule,
        // Per instance, in memory: a client spread over N instances gets up to N times the limit.
        ThrottlerModule.forRoot([{ ttl: 60_000, limit: config.publicRateLimit }]),
        IdentityModule.forRoot({
          jwtSecret: config.jwtSecret,
          passwordHashCost: config.passwordHashCost,
          bootstrap: { adminEmail: config.bootstrapAdmin.email, adminPassword: config.bootstrapAdmin.password, production: config.production },
        }),
        InvitationsModule.forRoot({ keys: config.tokenKeys, appBaseUrl: config.appBaseUrl }),
        ScheduleModule.forRoot(),
      ],
      controllers: [HealthController, ...(config.testClock ? [TestClockController] : [])],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
