import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, type Clock } from '@app/clock';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { ForegroundWork, ProcessorRunner, type RunnerOptions } from '@app/event-processing';
import { openEventStore, openSqlDatabase, type StoreLocation } from './open-event-store';
import {
  PersonalDataErasers,
  PersonalDataVault,
  personalDataMigrations,
  type PersonalFieldRule,
  SealingEventStore,
} from '@app/personal-data';
import { migrate } from '@app/sql';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';

export interface EventStoreModuleOptions extends StoreLocation {
  clock: Clock;
  /** Personal data sealed at rest: the secret of the key vault and which fields of which events to seal. */
  personalData: { secret: string; rules: readonly PersonalFieldRule[] };
  runner?: Omit<RunnerOptions, 'onError'>;
  /** false: processors are registered but only run when asked (replay, tests). */
  startProcessors?: boolean;
}

const OPTIONS = Symbol('EventStoreModuleOptions');

@Injectable()
class EventStoreLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(OPTIONS) private readonly options: EventStoreModuleOptions,
    private readonly runner: ProcessorRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.startProcessors !== false) this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.db.close();
  }
}

/** Provides the event store, the SQL database for read models, the clock and the processor runner. */
@Global()
@Module({})
export class EventStoreModule {
  static forRoot(options: EventStoreModuleOptions): DynamicModule {
    const logger = new Logger('Processors');
    return {
      module: EventStoreModule,
      providers: [
        { provide: OPTIONS, useValue: options },
        { provide: CLOCK, useValue: options.clock },
        { provide: SQL_DATABASE, useFactory: (): SqlDatabase => openSqlDatabase(options) },
        {
          provide: PersonalDataVault,
          inject: [SQL_DATABASE, CLOCK],
          useFactory: async (db: SqlDatabase, clock: Clock): Promise<PersonalDataVault> => {
            await migrate(db, 'personal-data', personalDataMigrations);
            return new PersonalDataVault(db, options.personalData.secret, clock);
          },
        },
        { provide: PersonalDataErasers, useValue: new PersonalDataErasers() },
        {
          provide: EVENT_STORE,
          inject: [SQL_DATABASE, CLOCK, PersonalDataVault],
          useFactory: async (db: SqlDatabase, clock: Clock, vault: PersonalDataVault): Promise<EventStore> =>
            new SealingEventStore(await openEventStore(options, db, clock), vault, options.personalData.rules),
        },
        { provide: ForegroundWork, useValue: new ForegroundWork() },
        {
          provide: ProcessorRunner,
          inject: [EVENT_STORE, SQL_DATABASE, CLOCK, ForegroundWork],
          useFactory: (store: EventStore, db: SqlDatabase, clock: Clock, foreground: ForegroundWork) =>
            new ProcessorRunner(store, db, clock, {
              ...options.runner,
              foreground,
              onError: (name, error) =>
                logger.error({ err: error, processor: name }, `Processor ${name} failed a batch; retrying`),
            }),
        },
        EventStoreLifecycle,
      ],
      exports: [
        CLOCK,
        SQL_DATABASE,
        EVENT_STORE,
        ForegroundWork,
        ProcessorRunner,
        PersonalDataVault,
        PersonalDataErasers,
      ],
    };
  }
}
