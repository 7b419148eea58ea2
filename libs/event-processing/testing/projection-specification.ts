import { type Given, recordedFrom } from '@app/event-store/testing/given-when-then';
import { migrate, type Migration } from '@app/sql';
import { temporarySqlite } from '@app/sql/testing/test-databases';
import { checkpointMigrations } from '../checkpoints';
import type { Processor } from '../processor';

export interface ProjectionSetup {
  component: string;
  migrations: readonly Migration[];
  processor: () => Processor;
}

/**
 * Projections specified as rules against their tables: given these events (handled in one batch,
 * as the runner would), then this table holds exactly these rows.
 */
export function projectionSpecification(setup: ProjectionSetup) {
  return (...history: Given[]) => ({
    async then(table: string, orderBy: string, expected: readonly Record<string, unknown>[]): Promise<void> {
      const target = temporarySqlite();
      try {
        // As in a running service: the checkpoints table exists before any read model migrates.
        await migrate(target.db, 'processor-checkpoints', checkpointMigrations);
        await migrate(target.db, setup.component, setup.migrations);
        const events = history.map((entry, n) => recordedFrom(entry, n, { stream: 'spec', start: new Date(0) }));
        await target.db.transaction((tx) => setup.processor().handle(events, tx));
        expect(await target.db.query(`SELECT * FROM ${table} ORDER BY ${orderBy}`)).toEqual(expected);
      } finally {
        await target.drop();
      }
    },
  });
}
