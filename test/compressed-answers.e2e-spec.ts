import request from 'supertest';
import { ADMIN, bearer, firstDeployment, login, TEST_ENV } from './support/identity';
import { startTestApp, type TestApp } from './support/test-app';

describe('compressed answers', () => {
  let t: TestApp;
  let admin: string;
  let deployment: string;
  beforeAll(async () => {
    t = await startTestApp(TEST_ENV);
    admin = await login(t, ADMIN.email, ADMIN.password);
    deployment = await firstDeployment(t, admin);
  });
  afterAll(async () => t?.close());

  const preview = (encoding: string) =>
    request(t.server)
      .post(`/api/deployments/${deployment}/invitations/csv-preview`)
      .set(bearer(admin))
      .set('Accept-Encoding', encoding)
      .set('Content-Type', 'text/csv')
      .send(Array.from({ length: 3_000 }, (_, i) => `patient${i}@example.org`).join('\n'))
      .expect(200);

  it('compresses a large JSON answer for a client that asks, with the same content', async () => {
    const plain = await preview('identity');
    const gzipped = await preview('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toMatch(/Accept-Encoding/i);
    expect(gzipped.body).toEqual(plain.body);
    expect(plain.body.lines).toHaveLength(3_000);
  });

  it('never compresses a stream: the export goes out as it is read', async () => {
    const res = await request(t.server)
      .get('/api/events/export')
      .set(bearer(admin))
      .set('Accept-Encoding', 'gzip')
      .buffer(true)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.text.split('\n').filter(Boolean).length).toBeGreaterThan(5);
  });
});
