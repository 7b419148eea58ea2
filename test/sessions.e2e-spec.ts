import request from 'supertest';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, login, TEST_ENV } from './support/identity';
import { advance } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';

/** The refresh cookie a response sets, as `name=value` for the next request, with its attributes. */
function refreshCookieOf(res: request.Response): { cookie: string; attributes: string } {
  const header = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('refresh_token='));
  if (!header) throw new Error('no refresh cookie set');
  const [cookie, ...attributes] = header.split('; ');
  return { cookie, attributes: attributes.join('; ') };
}

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('sessions on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp(TEST_ENV, store)));
    afterAll(async () => t?.close());

    const signIn = () => request(t.server).post('/api/auth/login').send(ADMIN).expect(200);
    const refresh = (cookie?: string) => {
      const call = request(t.server).post('/api/auth/refresh');
      return cookie ? call.set('Cookie', cookie) : call;
    };

    it('keeps the refresh token in an HttpOnly, Secure, SameSite=Strict cookie for /api/auth, not a body', async () => {
      const res = await signIn();
      expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn', 'tokenType']);
      const { cookie, attributes } = refreshCookieOf(res);
      expect(cookie).toMatch(/^refresh_token=[A-Za-z0-9_-]{43}$/);
      expect(attributes).toMatch(/Path=\/api\/auth/);
      expect(attributes).toMatch(/HttpOnly/);
      expect(attributes).toMatch(/Secure/);
      expect(attributes).toMatch(/SameSite=Strict/);
      expect(JSON.stringify(res.body)).not.toContain(cookie.split('=')[1]);
    });

    it('rotates: each refresh gives a working access token and the next refresh token', async () => {
      const first = refreshCookieOf(await signIn()).cookie;
      const renewed = await refresh(first).expect(200);
      await request(t.server).get('/api/me').set(bearer(renewed.body.accessToken)).expect(200);
      const second = refreshCookieOf(renewed).cookie;
      expect(second).not.toEqual(first);
      await refresh(second).expect(200);
    });

    it('revokes the whole family when a refresh token is used twice', async () => {
      const first = refreshCookieOf(await signIn()).cookie;
      const second = refreshCookieOf(await refresh(first).expect(200)).cookie;
      const reuse = await refresh(first).expect(401);
      expect(reuse.body.code).toBe('invalid_session');
      await refresh(second).expect(401);
      // Another sign-in of the same account is a family of its own, untouched.
      await refresh(refreshCookieOf(await signIn()).cookie).expect(200);
    });

    it('lets one of several concurrent uses of a refresh token win, then revokes the family', async () => {
      const cookie = refreshCookieOf(await signIn()).cookie;
      const answers = await Promise.all(Array.from({ length: 8 }, () => refresh(cookie)));
      const won = answers.filter((a) => a.status === 200);
      expect(won).toHaveLength(1);
      expect(answers.filter((a) => a.status === 401)).toHaveLength(7);
      await refresh(refreshCookieOf(won[0]).cookie).expect(401);
    });

    it('ends a sign-in at logout, and refuses no cookie, a forged one and an expired one', async () => {
      const cookie = refreshCookieOf(await signIn()).cookie;
      const out = await request(t.server).post('/api/auth/logout').set('Cookie', cookie).expect(204);
      expect(refreshCookieOf(out).cookie).toBe('refresh_token=');
      await refresh(cookie).expect(401);
      await refresh().expect(401);
      await refresh('refresh_token=forged').expect(401);
      const stale = refreshCookieOf(await signIn()).cookie;
      await advance(t, 12 * 3600 + 1);
      await refresh(stale).expect(401);
    });

    it('refuses to renew the session of a deactivated member of staff', async () => {
      const admin = await login(t, ADMIN.email, ADMIN.password);
      const id = (
        await request(t.server)
          .post('/api/staff')
          .set(bearer(admin))
          .send({ email: `org-${store}@example.org`, password: 'a sturdy passphrase 1', role: 'OrganisationStaff' })
          .expect(201)
      ).body.id;
      const res = await request(t.server)
        .post('/api/auth/login')
        .send({ email: `org-${store}@example.org`, password: 'a sturdy passphrase 1' })
        .expect(200);
      await request(t.server).post(`/api/staff/${id}/deactivate`).set(bearer(admin)).expect(200);
      await refresh(refreshCookieOf(res).cookie).expect(401);
    });
  });
});
