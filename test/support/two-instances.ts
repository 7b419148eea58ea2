import { postgresUrl, temporaryPostgres } from '@app/sql/testing/test-databases';
import { TEST_ENV } from './identity';
import { startTestApp, type TestApp, withSearchPath } from './test-app';

export interface TwoInstances {
  a: TestApp;
  b: TestApp;
  close(): Promise<void>;
}

/** Two whole apps on one fresh PostgreSQL schema, as two instances of a deployment would run. */
export async function twoInstancesOnPostgres(): Promise<TwoInstances> {
  const pg = await temporaryPostgres();
  const env = { ...TEST_ENV, EVENT_STORE: 'postgres', DATABASE_URL: withSearchPath(postgresUrl, pg.schema) };
  const a = await startTestApp(env);
  const b = await startTestApp(env);
  return {
    a,
    b,
    close: async () => {
      await Promise.all([a.close(), b.close()]);
      await pg.drop();
    },
  };
}
