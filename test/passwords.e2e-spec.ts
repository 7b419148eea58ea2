import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, login, TEST_ENV } from './support/identity';
import { startTestApp, type TestApp } from './support/test-app';

const PASSWORD = 'a sturdy passphrase 1';
const NEW_PASSWORD = 'another sturdy passphrase 2';

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('changing a password on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: string;
    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
    });
    afterAll(async () => t?.close());

    async function member(email: string) {
      await request(t.server)
        .post('/api/staff')
        .set(bearer(admin))
        .send({ email, password: PASSWORD, role: 'OrganisationStaff' })
        .expect(201);
      return signIn(email);
    }

    async function signIn(email: string) {
      const res = await request(t.server).post('/api/auth/login').send({ email, password: PASSWORD }).expect(200);
      const cookie = ([] as string[]).concat(res.headers['set-cookie']).find((c) => c.startsWith('refresh_token='))!;
      return { token: res.body.accessToken as string, cookie: cookie.split(';')[0] };
    }

    it('needs the current password and a strong new one, and changes nothing otherwise', async () => {
      const { token } = await member(`weak-${store}@example.org`);
      const wrong = await request(t.server)
        .post('/api/me/password')
        .set(bearer(token))
        .send({ currentPassword: 'not it at all', newPassword: NEW_PASSWORD })
        .expect(400);
      expect(wrong.body.code).toBe('wrong_password');
      const weak = await request(t.server)
        .post('/api/me/password')
        .set(bearer(token))
        .send({ currentPassword: PASSWORD, newPassword: 'short' })
        .expect(400);
      expect(weak.body.code).toBe('weak_password');
      await request(t.server)
        .post('/api/auth/login')
        .send({ email: `weak-${store}@example.org`, password: PASSWORD })
        .expect(200);
      await request(t.server).get('/api/me').set(bearer(token)).expect(200);
    });

    it('signs in with the new password only, ends every other session and token, keeps this one going', async () => {
      const email = `change-${store}@example.org`;
      const other = await member(email);
      const mine = await signIn(email);
      const changed = await request(t.server)
        .post('/api/me/password')
        .set(bearer(mine.token))
        .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
        .expect(200);
      await request(t.server).get('/api/me').set(bearer(changed.body.accessToken)).expect(200);
      await request(t.server).get('/api/me').set(bearer(other.token)).expect(401);
      await request(t.server).post('/api/auth/refresh').set('Cookie', other.cookie).expect(401);
      await request(t.server).post('/api/auth/login').send({ email, password: PASSWORD }).expect(401);
      await request(t.server).post('/api/auth/login').send({ email, password: NEW_PASSWORD }).expect(200);
      const history = await request(t.server).get(`/api/events?limit=1000`).set(bearer(admin)).expect(200);
      const change = history.body.events.find((e: { type: string }) => e.type === 'PasswordChanged');
      expect(change.data).toEqual({ accountId: expect.any(String), reason: 'changed' });
    });
  });
});

describe('npm run admin -- reset-password', () => {
  it('gives a staff account a new password, printed once, and ends its sessions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'invitations-admin-'));
    const env = { ...TEST_ENV, DATA_DIR: dir };
    try {
      const before = await startTestApp(env);
      await login(before, ADMIN.email, ADMIN.password);
      await before.close();

      const printed = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          [
            '-r',
            join(__dirname, 'support', 'run-typescript.js'),
            join(__dirname, '..', 'apps', 'api', 'admin.ts'),
            'reset-password',
            ADMIN.email,
          ],
          { env: { ...process.env, ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' } },
          (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout)),
        ),
      );
      const password = /New password for admin@example.org: (\S+)/.exec(printed)?.[1];
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);

      const after = await startTestApp(env);
      try {
        await request(after.server).post('/api/auth/login').send(ADMIN).expect(401);
        await login(after, ADMIN.email, password!);
      } finally {
        await after.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
