import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { describeWithPostgres, postgresUrl, temporaryPostgres } from '@app/sql/testing/test-databases';
import { PasswordHasher } from '@app/identity/application/password-hasher';
import { IdentityBootstrap } from '@app/identity/application/bootstrap.service';
import { ADMIN, bearer, login, settled, TEST_ENV } from './support/identity';
import { startTestApp, withSearchPath, type TestApp } from './support/test-app';

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('accounts on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: Record<string, string>;
    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = bearer(await login(t, ADMIN.email, ADMIN.password));
    });
    afterAll(async () => t?.close());

    it('makes one account when ten requests create the same staff address at once', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          request(t.server)
            .post('/api/staff')
            .set(admin)
            .send({
              email: i % 2 ? 'Twin@Example.org' : 'twin@example.org ',
              password: `passphrase number ${i}`,
              role: 'OrganisationStaff',
            }),
        ),
      );
      const created = results.filter((r) => r.status === 201);
      expect(created).toHaveLength(1);
      for (const r of results.filter((r) => r.status !== 201))
        expect(r.body).toMatchObject({ status: 409, code: 'staff_email_taken' });
      const winner = Number(results.indexOf(created[0]));
      await login(t, 'twin@example.org', `passphrase number ${winner}`);
      const loser = (winner + 1) % 10;
      await request(t.server)
        .post('/api/auth/login')
        .send({ email: 'twin@example.org', password: `passphrase number ${loser}` })
        .expect(401);
      const events: string[] = [];
      for await (const e of t.app
        .get<EventStore>(EVENT_STORE)
        .readAll({ filter: { types: ['StaffAccountCreated'] } })) {
        if (e.data.email === 'twin@example.org') events.push(e.id);
      }
      expect(events).toHaveLength(1);
    });

    it('records who granted which role to whom', async () => {
      const res = await request(t.server)
        .post('/api/staff')
        .set(admin)
        .send({ email: 'audited@example.org', password: 'a sturdy passphrase 1', role: 'OrganisationStaff' })
        .expect(201);
      const events = [];
      for await (const e of t.app.get<EventStore>(EVENT_STORE).readStream(`staff-${res.body.id}`)) events.push(e);
      const me = await request(t.server).get('/api/me').set(admin).expect(200);
      expect(events.map((e) => e.type)).toEqual(['StaffAccountCreated', 'StaffRoleAssigned']);
      expect(events[1].data).toMatchObject({
        role: 'OrganisationStaff',
        scope: 'organisation',
        permissions: ['manage_patient_data'],
      });
      expect(events[1].metadata).toMatchObject({
        actor: { type: 'staff', id: me.body.id },
        correlationId: expect.any(String),
      });
      expect(JSON.stringify(events.map((e) => [e.data, e.metadata]))).not.toContain('a sturdy passphrase 1');
    });
  });
});

describe('login and bootstrap', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp(TEST_ENV)));
  afterAll(async () => t?.close());

  it('answers an unknown address and a wrong password alike, after the same work: one hash check', async () => {
    const hasher = t.app.get(PasswordHasher);
    const verify = jest.spyOn(hasher, 'verify');
    const unknown = await request(t.server)
      .post('/api/auth/login')
      .send({ email: 'nobody@example.org', password: 'whatever it is 1' });
    const unknownChecks = verify.mock.calls.length;
    verify.mockClear();
    const wrong = await request(t.server)
      .post('/api/auth/login')
      .send({ email: ADMIN.email, password: 'whatever it is 1' });
    const wrongChecks = verify.mock.calls.length;
    verify.mockClear();
    await request(t.server).post('/api/auth/login').send(ADMIN).expect(200);
    const rightChecks = verify.mock.calls.length;
    verify.mockRestore();
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body).toMatchObject({ code: 'invalid_credentials' });
    // One password-hash verification each (a decoy one for the unknown address), not one per account kind.
    expect([unknownChecks, wrongChecks, rightChecks]).toEqual([1, 1, 1]);
  });

  it('logs in with the address in any case and issues a Bearer token', async () => {
    const res = await request(t.server)
      .post('/api/auth/login')
      .send({ email: ` ${ADMIN.email.toUpperCase()} `, password: ADMIN.password })
      .expect(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
  });

  it('refuses weak passwords with weak_password', async () => {
    const admin = bearer(await login(t, ADMIN.email, ADMIN.password));
    for (const password of ['short', 'password12', 'Qwertyuiop', '1234567890']) {
      const res = await request(t.server)
        .post('/api/staff')
        .set(admin)
        .send({ email: 'weak@example.org', password, role: 'OrganisationStaff' });
      expect(res.body).toMatchObject({
        status: 400,
        code: 'weak_password',
        errors: [{ field: 'password', reason: expect.any(String) }],
      });
      expect(JSON.stringify(res.body)).not.toContain(password);
    }
  });

  it('answers malformed bodies with a problem that never echoes a password', async () => {
    const admin = bearer(await login(t, ADMIN.email, ADMIN.password));
    const res = await request(t.server)
      .post('/api/staff')
      .set(admin)
      .send({ email: 42, password: ['secret-value'], role: '' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed' });
    expect(res.body.errors).toContainEqual({ field: 'email', value: 42, reason: 'email must be a string' });
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'password', 'role']);
    expect(JSON.stringify(res.body)).not.toContain('secret-value');
    const bad = await request(t.server)
      .post('/api/staff')
      .set(admin)
      .send({ email: 'not-an-address', password: 'a sturdy passphrase 1', role: 'OrganisationStaff' });
    expect(bad.body).toMatchObject({ status: 400, code: 'invalid_email', errors: [{ field: 'email' }] });
    const broken = await request(t.server)
      .post('/api/auth/login')
      .set('content-type', 'application/json')
      .send('{"email":');
    expect(broken.body).toMatchObject({ status: 400, code: 'malformed_body' });
    const extra = await request(t.server)
      .post('/api/auth/login')
      .send({ email: ADMIN.email, password: ADMIN.password, admin: true });
    expect(extra.body).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('bootstraps once, across restarts and concurrent starts', async () => {
    const bootstrap = t.app.get(IdentityBootstrap);
    expect(await Promise.all([bootstrap.run(), bootstrap.run(), bootstrap.run()])).toEqual([false, false, false]);
    const restarted = await startTestApp({
      ...TEST_ENV,
      DATA_DIR: t.config.dataDir,
      BOOTSTRAP_ADMIN_PASSWORD: 'another passphrase 77',
    });
    try {
      await settled(restarted);
      const admin = bearer(await login(restarted, ADMIN.email, ADMIN.password));
      const deployments = await request(restarted.server).get('/api/deployments').set(admin).expect(200);
      expect(deployments.body.items.filter((d: { name: string }) => d.name === 'Default deployment')).toHaveLength(1);
      await request(restarted.server)
        .post('/api/auth/login')
        .send({ email: ADMIN.email, password: 'another passphrase 77' })
        .expect(401);
    } finally {
      await restarted.app.close();
    }
  });
});

describeWithPostgres('instances starting together on an empty PostgreSQL store', () => {
  it('migrate once and bootstrap exactly one organisation and Admin', async () => {
    const pg = await temporaryPostgres();
    const env = { ...TEST_ENV, EVENT_STORE: 'postgres', DATABASE_URL: withSearchPath(postgresUrl, pg.schema) };
    const instances = await Promise.all([startTestApp(env), startTestApp(env), startTestApp(env)]);
    try {
      const bootstraps: string[] = [];
      for await (const e of instances[0].app
        .get<EventStore>(EVENT_STORE)
        .readAll({ filter: { types: ['BootstrapCompleted', 'StaffAccountCreated'] } })) {
        bootstraps.push(e.type);
      }
      expect(bootstraps).toEqual(['BootstrapCompleted', 'StaffAccountCreated']);
      for (const instance of instances) await login(instance, ADMIN.email, ADMIN.password);
    } finally {
      await Promise.all(instances.map((i) => i.close()));
      await pg.drop();
    }
  });
});

describe('rate limiting', () => {
  let t: TestApp;
  // A fresh instance each: the limit counts a client across all these routes together (rate-limits.e2e-spec).
  beforeEach(async () => (t = await startTestApp({ ...TEST_ENV, PUBLIC_RATE_LIMIT: '3' })));
  afterEach(async () => t?.close());

  it('answers 429 rate_limited with Retry-After past PUBLIC_RATE_LIMIT logins a minute', async () => {
    for (let i = 0; i < 3; i++)
      await request(t.server)
        .post('/api/auth/login')
        .send({ email: 'x@example.org', password: 'nope nope nope' })
        .expect(401);
    const res = await request(t.server).post('/api/auth/login').send({ email: ADMIN.email, password: ADMIN.password });
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await request(t.server).get('/api/health').expect(200);
  });

  it('limits the public patient endpoints the same way', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++)
      answers.push((await request(t.server).get('/api/public/invitations/not-a-token')).status);
    expect(answers).toEqual([404, 404, 404, 429]);
  });
});
