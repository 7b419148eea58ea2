import { ConfigError, loadConfig } from './app-config';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('configuration', () => {
  it('starts on SQLite with the outbox on loopback, with no secret of its own when none is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      eventStore: 'sqlite',
      mail: { transport: 'outbox' },
      testClock: false,
      publicRateLimit: 30,
    });
    expect(config.dataDir).toMatch(/\/data$/);
    // Generated on first start and kept (service-secrets), never a constant shipped in the source.
    expect(config.jwtSecret).toBe('');
    expect(config.tokenKeys).toEqual([]);
    expect(config.appBaseUrl).toBe('http://localhost:3000');
    expect(loadConfig({ PORT: '8080' }).appBaseUrl).toBe('http://localhost:8080');
  });

  it('requires both secrets in production, naming each', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      MAIL_TRANSPORT: 'mailgun',
      MAILGUN_API_KEY: 'k',
      MAILGUN_DOMAIN: 'd',
    });
    expect(problems).toEqual(
      expect.arrayContaining(['JWT_SECRET is required in production', 'TOKEN_SECRET is required in production']),
    );
  });

  it.each([
    [{ EVENT_STORE: 'mysql' }, 'EVENT_STORE must be one of sqlite, postgres, eventstoredb'],
    [{ EVENT_STORE: 'postgres' }, 'DATABASE_URL is required when EVENT_STORE=postgres'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres: or postgresql: URL'],
    [{ PORT: 'eighty' }, 'PORT must be a whole number from 0 to 65535'],
    [{ PORT: '70000' }, 'PORT must be a whole number'],
    [{ PUBLIC_RATE_LIMIT: '0' }, 'PUBLIC_RATE_LIMIT must be a whole number from 1'],
    [{ MAIL_TRANSPORT: 'mailgun' }, 'MAILGUN_API_KEY is required when MAIL_TRANSPORT=mailgun'],
    [{ APP_BASE_URL: 'not a url' }, 'APP_BASE_URL must be a http: or https: URL'],
    [{ TEST_CLOCK: 'yes' }, 'TEST_CLOCK must be one of enabled, disabled'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET must be at least 32 characters'],
    [{ EVENT_STORE: 'eventstoredb' }, 'EVENTSTORE_URL is required when EVENT_STORE=eventstoredb'],
    [{ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'http://127.0.0.1:2113' }, 'EVENTSTORE_URL must be a esdb: or'],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(problemsOf(env).join('\n')).toContain(message);
  });

  it('takes a cluster connection string with several hosts, and refuses options the adapter cannot work with', () => {
    const cluster = 'kurrentdb+discover://a.example:2113,b.example:2113,c.example:2113?tls=true';
    expect(loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: cluster }).eventStoreUrl).toBe(cluster);
    expect(
      problemsOf({ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: `${cluster}&throwOnAppendFailure=false` }).join('\n'),
    ).toContain('throwOnAppendFailure');
  });

  it('runs on EventStoreDB with read models in PostgreSQL, or in SQLite without DATABASE_URL', () => {
    const url = 'kurrentdb://127.0.0.1:2113?tls=false';
    expect(
      loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: url, DATABASE_URL: 'postgresql://app@db/app' }),
    ).toMatchObject({
      eventStore: 'eventstoredb',
      eventStoreUrl: url,
      databaseUrl: 'postgresql://app@db/app',
    });
    expect(loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://es:2113?tls=false' })).toMatchObject({
      eventStore: 'eventstoredb',
      databaseUrl: undefined,
    });
  });

  it('requires every secret in production and refuses the test clock there', () => {
    const problems = problemsOf({ NODE_ENV: 'production', TEST_CLOCK: 'enabled' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'JWT_SECRET is required in production',
        'TOKEN_SECRET is required in production',
        'AUDIT_SIGNING_KEY is required in production',
        'PERSONAL_DATA_KEY is required in production',
        expect.stringContaining('TEST_CLOCK=enabled is refused in production'),
      ]),
    );
  });

  it('reads rotating token keys: the first signs, every one verifies', () => {
    const secret = 'x'.repeat(32);
    expect(loadConfig({ TOKEN_SECRET: `new:${secret}1,old:${secret}2` }).tokenKeys).toEqual([
      { id: 'new', secret: `${secret}1` },
      { id: 'old', secret: `${secret}2` },
    ]);
    expect(loadConfig({ TOKEN_SECRET: secret }).tokenKeys).toEqual([
      { id: expect.stringMatching(/^k[0-9a-f]{6}$/), secret },
    ]);
    expect(problemsOf({ TOKEN_SECRET: `a:${secret},a:${secret}` })).toContain('TOKEN_SECRET names one key id twice');
    expect(problemsOf({ TOKEN_SECRET: `a:${secret},b:short` }).join()).toContain(
      'TOKEN_SECRET key 2 must be at least 32 characters',
    );
  });

  it('never prints a password from a connection string', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://user:hunter2@db/x' }).join()).not.toContain('hunter2');
  });
});
