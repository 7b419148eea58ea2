import request from 'supertest';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, firstDeployment, login, TEST_ENV } from './support/identity';
import { invite, personalToken } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('secrets at rest on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let db: SqlDatabase;
    let admin: string;
    let deployment: string;
    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      db = t.app.get<SqlDatabase>(SQL_DATABASE);
      admin = await login(t, ADMIN.email, ADMIN.password);
      deployment = await firstDeployment(t, admin);
    });
    afterAll(async () => t?.close());

    const storedAnswers = async () => JSON.stringify(await db.query('SELECT * FROM idempotency_keys'));

    it('never stores an access token for a login carrying an Idempotency-Key', async () => {
      const first = await request(t.server)
        .post('/api/auth/login')
        .set('Idempotency-Key', 'login-1')
        .send(ADMIN)
        .expect(200);
      const again = await request(t.server)
        .post('/api/auth/login')
        .set('Idempotency-Key', 'login-1')
        .send(ADMIN)
        .expect(200);
      expect(again.body.accessToken).toEqual(expect.any(String));
      expect(await storedAnswers()).not.toContain(first.body.accessToken);
      expect(await storedAnswers()).not.toContain('login-1');
    });

    it('replays an accept without its access token, and stores none', async () => {
      const id = (await invite(t, admin, deployment, ['keyed-accept@example.org']).expect(201)).body.issued[0].id;
      const token = await personalToken(t, id);
      const accept = () =>
        request(t.server)
          .post(`/api/public/invitations/${token}/accept`)
          .set('Idempotency-Key', 'accept-1')
          .send({ password: 'patient passphrase 1' });
      const first = await accept().expect(201);
      expect(first.body).toEqual({ patientId: expect.any(String), accessToken: expect.any(String) });
      const replay = await accept().expect(201);
      expect(replay.body).toEqual({ patientId: first.body.patientId });
      const stored = await storedAnswers();
      expect(stored).toContain(first.body.patientId);
      expect(stored).not.toContain(first.body.accessToken);
      expect(stored).not.toMatch(/eyJ[A-Za-z0-9_-]+\./);
    });

    it('answers a CSV preview for the file sent, whatever its Idempotency-Key', async () => {
      const preview = (file: string) =>
        request(t.server)
          .post(`/api/deployments/${deployment}/invitations/csv-preview`)
          .set(bearer(admin))
          .set('Idempotency-Key', 'csv-1')
          .set('Content-Type', 'text/csv')
          .send(file)
          .expect(200);
      expect((await preview('one@example.org\n')).body.emails).toEqual(['one@example.org']);
      expect((await preview('two@example.org\n')).body.emails).toEqual(['two@example.org']);
    });

    it('keeps one password hash after 10 concurrent accepts of one invitation', async () => {
      const hashes = async () =>
        Number((await db.query<{ n: number | string }>('SELECT count(*) AS n FROM identity_credentials'))[0].n);
      const id = (await invite(t, admin, deployment, ['raced-accept@example.org']).expect(201)).body.issued[0].id;
      const token = await personalToken(t, id);
      const before = await hashes();
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          request(t.server)
            .post(`/api/public/invitations/${token}/accept`)
            .send({ password: `patient passphrase ${i}` }),
        ),
      );
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      expect(await hashes()).toBe(before + 1);
    });
  });
});
