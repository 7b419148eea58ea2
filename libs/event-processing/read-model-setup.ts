import { Inject, Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { migrate, type Migration } from '@app/sql';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import type { AnyProcessor } from './processor';
import { ProcessorRunner } from './processor-runner';

/**
 * A provider that, when its module starts, migrates a component's tables and registers its
 * processors: every context's read models are set up the same way.
 */
export function readModelSetup(
  component: string,
  migrations: readonly Migration[],
  processors: () => AnyProcessor[] = () => [],
): Type<OnModuleInit> {
  @Injectable()
  class ReadModelSetup implements OnModuleInit {
    constructor(
      @Inject(SQL_DATABASE) readonly db: SqlDatabase,
      readonly runner: ProcessorRunner,
    ) {}

    async onModuleInit(): Promise<void> {
      await migrate(this.db, component, migrations);
      for (const processor of processors()) this.runner.register(processor);
    }
  }
  Object.defineProperty(ReadModelSetup, 'name', { value: `${component}ReadModelSetup` });
  return ReadModelSetup;
}
