// Decides once per run whether the PostgreSQL suites run. In CI they must: an unreachable
// database fails the run. Elsewhere they are skipped with one visible line. The EventStoreDB
// contract suite runs only when EVENTSTORE_URL names a server, and says so when it does not.
const { Client } = require('pg');

const DEFAULT_URL = 'postgresql://postgres@127.0.0.1:5432/test';

module.exports = async function globalSetup() {
  const url = process.env.DATABASE_URL || DEFAULT_URL;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    process.env.TEST_DATABASE_URL = url;
  } catch (error) {
    if (process.env.CI) {
      throw new Error(`CI must run the PostgreSQL suites, but ${redact(url)} is unreachable: ${error.message}`, {
        cause: error,
      });
    }
    process.env.TEST_DATABASE_URL = '';
    process.stdout.write(
      `\nPostgreSQL suites SKIPPED: ${redact(url)} is unreachable (${error.message}). Set DATABASE_URL to run them.\n`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  if (!process.env.EVENTSTORE_URL) {
    process.stdout.write(
      '\nEventStoreDB contract suite SKIPPED: EVENTSTORE_URL is not set (README, "Running on EventStoreDB").\n',
    );
  }
};

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
