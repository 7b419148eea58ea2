import request from 'supertest';
import { ADMIN, bearer, createStaff, firstDeployment, login, settled, TEST_ENV } from './support/identity';
import { advance, invite } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';

describe('Idempotency-Key on write endpoints', () => {
  let t: TestApp;
  let admin: string;
  let deployment: string;
  beforeAll(async () => {
    t = await startTestApp(TEST_ENV);
    admin = await login(t, ADMIN.email, ADMIN.password);
    deployment = await firstDeployment(t, admin);
  });
  afterAll(async () => t?.close());

  const post = (token: string, key: string, body: object) =>
    request(t.server)
      .post(`/api/deployments/${deployment}/invitations`)
      .set(bearer(token))
      .set('Idempotency-Key', key)
      .send(body);

  it('answers a repeat with the first response and does nothing again', async () => {
    const first = await post(admin, 'key-1', { emails: ['idem@example.org'], expiresIn: '7d' }).expect(201);
    const again = await post(admin, 'key-1', { expiresIn: '7d', emails: ['idem@example.org'] }).expect(201);
    expect(again.body).toEqual(first.body);
    expect(first.body.issued).toHaveLength(1);
    await settled(t);
    const list = await request(t.server).get(`/api/deployments/${deployment}/invitations?q=idem@`).set(bearer(admin));
    expect(list.body.items).toHaveLength(1);
  });

  it('refuses the same key with another body, and a malformed key', async () => {
    await post(admin, 'key-2', { emails: ['a2@example.org'], expiresIn: '7d' }).expect(201);
    expect((await post(admin, 'key-2', { emails: ['b2@example.org'], expiresIn: '7d' })).body).toMatchObject({
      status: 422,
      code: 'idempotency_key_reused',
    });
    expect(
      (await post(admin, 'bad key with spaces', { emails: ['c2@example.org'], expiresIn: '7d' })).body,
    ).toMatchObject({ status: 400, code: 'invalid_idempotency_key' });
  });

  it('scopes keys to the caller and frees a key whose request failed', async () => {
    const other = await createStaff(t, admin, { email: 'other-idem@example.org', role: 'OrganisationStaff' });
    await post(admin, 'shared', { emails: ['s1@example.org'], expiresIn: '7d' }).expect(201);
    const theirs = await post(other, 'shared', { emails: ['s2@example.org'], expiresIn: '7d' }).expect(201);
    expect(theirs.body.issued[0].email).toBe('s2@example.org');
    await post(admin, 'retry-me', { emails: ['r@example.org'], expiresIn: '9d' }).expect(400);
    await post(admin, 'retry-me', { emails: ['r@example.org'], expiresIn: '9d' }).expect(400);
    await post(admin, 'retry-me', { emails: ['r@example.org'], expiresIn: '7d' }).expect(201);
  });

  it('runs a key once when the same request arrives five times at once', async () => {
    const body = { emails: ['burst@example.org'], expiresIn: '7d' };
    const results = await Promise.all(Array.from({ length: 5 }, () => post(admin, 'burst', body)));
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const r of results.filter((r) => r.status !== 201))
      expect(r.body).toMatchObject({ status: 409, code: 'idempotency_key_in_use' });
    for (const r of created) expect(r.body).toEqual(created[0].body);
    expect(created[0].body.issued).toHaveLength(1);
    await settled(t);
    expect(
      (await request(t.server).get(`/api/deployments/${deployment}/invitations?q=burst@`).set(bearer(admin))).body
        .items,
    ).toHaveLength(1);
  });

  it('forgets a key after 24 hours', async () => {
    await post(admin, 'day-old', { emails: ['d1@example.org'], expiresIn: '7d' }).expect(201);
    await advance(t, 24 * 3600 + 1);
    const later = await post(admin, 'day-old', { emails: ['d2@example.org'], expiresIn: '7d' }).expect(201);
    expect(later.body.issued[0].email).toBe('d2@example.org');
  });

  it('replays a 204 for DELETE and works on public endpoints per client', async () => {
    const id = (await invite(t, admin, deployment, ['del@example.org']).expect(201)).body.issued[0].id;
    await request(t.server)
      .delete(`/api/invitations/${id}`)
      .set(bearer(admin))
      .set('Idempotency-Key', 'del-1')
      .expect(204);
    await request(t.server)
      .delete(`/api/invitations/${id}`)
      .set(bearer(admin))
      .set('Idempotency-Key', 'del-1')
      .expect(204);
  });
});
