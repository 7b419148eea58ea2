import request from 'supertest';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, login, TEST_ENV } from './support/identity';
import { startTestApp, type TestApp } from './support/test-app';

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('the application on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp(TEST_ENV, store)));
    afterAll(async () => t?.close());

    it('answers GET /api/health to anyone with the status alone', async () => {
      expect((await request(t.server).get('/api/health').expect(200)).body).toEqual({ status: 'ok' });
      expect((await request(t.server).get('/api/health').set(bearer('not-a-token')).expect(200)).body).toEqual({
        status: 'ok',
      });
    });

    it('answers GET /api/health to staff with the stores reachable and where each processor stands', async () => {
      const res = await request(t.server)
        .get('/api/health')
        .set(bearer(await login(t, ADMIN.email, ADMIN.password)))
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'ok',
        info: {
          eventStore: { status: 'up', kind: store },
          readModel: { status: 'up', dialect: store },
          processors: {
            status: 'up',
            processors: expect.arrayContaining([expect.objectContaining({ behind: false, head: expect.any(String) })]),
          },
        },
      });
    });

    it.each([
      ['a health check', '/api/health'],
      ['a problem', '/api/nothing-here'],
      [
        'a public token look-up',
        '/api/public/invitations/k1.00000000000000000000000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ],
      ['the API docs page', '/api/docs'],
    ])('sends security headers with %s, and no-store', async (_, path) => {
      const res = await request(t.server).get(path);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('answers an unknown path with a problem that does not echo the path', async () => {
      const res = await request(t.server).get('/api/nothing-here/secret-token-value').expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toEqual({
        type: expect.stringContaining('not-found'),
        title: 'Not Found',
        status: 404,
        detail: expect.any(String),
        code: 'not_found',
      });
      expect(JSON.stringify(res.body)).not.toContain('secret-token-value');
    });
  });
});
