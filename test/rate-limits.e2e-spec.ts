import request from 'supertest';
import { describeWithPostgres, postgresUrl, temporaryPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, TEST_ENV } from './support/identity';
import { advance } from './support/invitations';
import { startTestApp, type TestApp, withSearchPath } from './support/test-app';

const LIMIT = '4';
const wrongLogin = (t: TestApp, forwardedFor?: string) => {
  const call = request(t.server).post('/api/auth/login').send({ email: 'x@example.org', password: 'not it, surely' });
  return forwardedFor ? call.set('X-Forwarded-For', forwardedFor) : call;
};
const peek = (t: TestApp) => request(t.server).get('/api/public/invitations/not-a-token');

describe('public and sign-in limits on one instance', () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('counts one client across every public and sign-in route together', async () => {
    t = await startTestApp({ ...TEST_ENV, PUBLIC_RATE_LIMIT: LIMIT });
    await wrongLogin(t).expect(401);
    await peek(t).expect(404);
    await wrongLogin(t).expect(401);
    await peek(t).expect(404);
    const refused = await peek(t).expect(429);
    expect(refused.body).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await wrongLogin(t).expect(429);
  });

  it('takes the client address from as many proxies as TRUST_PROXY says, and no further', async () => {
    t = await startTestApp({ ...TEST_ENV, PUBLIC_RATE_LIMIT: '1', TRUST_PROXY: '1' });
    await wrongLogin(t, '203.0.113.1').expect(401);
    await wrongLogin(t, '203.0.113.1').expect(429);
    await wrongLogin(t, '203.0.113.2').expect(401);
    await t.close();
    // Without a trusted proxy the header is anyone's to write: it changes nothing.
    t = await startTestApp({ ...TEST_ENV, PUBLIC_RATE_LIMIT: '1' });
    await wrongLogin(t, '203.0.113.1').expect(401);
    await wrongLogin(t, '203.0.113.2').expect(429);
  });
});

describeWithPostgres('public and sign-in limits across two instances', () => {
  it('holds for a client whose requests are spread over both', async () => {
    const pg = await temporaryPostgres();
    const env = {
      ...TEST_ENV,
      PUBLIC_RATE_LIMIT: LIMIT,
      EVENT_STORE: 'postgres',
      DATABASE_URL: withSearchPath(postgresUrl, pg.schema),
    };
    const [a, b]: TestApp[] = await Promise.all([startTestApp(env), startTestApp(env)]);
    try {
      const answers = await Promise.all([wrongLogin(a), peek(b), wrongLogin(b), peek(a), wrongLogin(a), peek(b)]);
      expect(answers.filter((r) => r.status === 429)).toHaveLength(2);
      await peek(a).expect(429);
      await peek(b).expect(429);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await pg.drop();
    }
  });

  it('lets the free failed sign-ins through on either instance, however their clocks differ', async () => {
    const pg = await temporaryPostgres();
    const env = { ...TEST_ENV, EVENT_STORE: 'postgres', DATABASE_URL: withSearchPath(postgresUrl, pg.schema) };
    const [a, b]: TestApp[] = await Promise.all([startTestApp(env), startTestApp(env)]);
    try {
      // b's clock runs ten seconds ahead of a's: the time it writes with a failure is in a's future.
      await advance(b, 10);
      await wrongLogin(b).expect(401);
      await wrongLogin(a).expect(401);
      await wrongLogin(a).expect(401);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await pg.drop();
    }
  });
});

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('failed sign-ins at one address on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp(TEST_ENV, store)));
    afterAll(async () => t?.close());
    const attempt = (email: string, password: string) =>
      request(t.server).post('/api/auth/login').send({ email, password });

    it.each([
      ['an account', ADMIN.email],
      ['no account, answered alike', 'nobody-here@example.org'],
    ])('slows down guessing at %s after five failures, a growing wait each time', async (_, email) => {
      for (let i = 0; i < 5; i++) await attempt(email, `wrong guess ${i}`).expect(401);
      const delayed = await attempt(email, ADMIN.password).expect(429);
      expect(delayed.body.code).toBe('login_delayed');
      expect(delayed.headers['retry-after']).toBe('1');
      await advance(t, 1);
      await attempt(email, 'wrong again, sixth').expect(401);
      expect((await attempt(email, 'too soon').expect(429)).headers['retry-after']).toBe('2');
      await advance(t, 2);
    });

    it('starts afresh after a success, and leaves other addresses alone', async () => {
      await attempt(ADMIN.email, ADMIN.password).expect(200);
      for (let i = 0; i < 5; i++) await attempt(ADMIN.email, `wrong ${i}`).expect(401);
      await attempt('someone-else@example.org', 'any guess at all').expect(401);
    });
  });
});
