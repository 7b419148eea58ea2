import request from 'supertest';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { WebhookDispatcher } from '@app/webhooks';
import { ADMIN, bearer, createStaff, login, newDeployment, TEST_ENV } from './support/identity';
import { advance, invite } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';
import { type TwoInstances, twoInstancesOnPostgres } from './support/two-instances';
import { WebhookReceiver } from './support/webhook-receiver';

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('webhooks on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: string;
    let ward: string;
    let other: string;
    const receivers: WebhookReceiver[] = [];

    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
      ward = await newDeployment(t, admin, 'Hooked ward');
      other = await newDeployment(t, admin, 'Other ward');
    });
    afterAll(async () => {
      await Promise.all(receivers.map((r) => r.stop()));
      await t?.close();
    });

    async function receiver(): Promise<{ receiver: WebhookReceiver; url: string }> {
      const r = new WebhookReceiver();
      receivers.push(r);
      return { receiver: r, url: await r.start() };
    }

    function register(body: Record<string, unknown>, token = admin) {
      return request(t.server).post('/api/webhooks').set(bearer(token)).send(body);
    }

    /** The delivery log once it holds `count` attempts: an attempt is recorded after the receiver answered. */
    async function deliveryLog(id: string, count: number) {
      const read = () => request(t.server).get(`/api/webhooks/${id}/deliveries`).set(bearer(admin)).expect(200);
      let log = await read();
      for (let i = 0; i < 100 && log.body.items.length < count; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        log = await read();
      }
      return log;
    }

    const issuedIn = (deploymentId: string) => (r: WebhookReceiver) =>
      r.events().filter((e) => e.type === 'InvitationIssued' && e.metadata.deploymentId === deploymentId);

    it('delivers each matching event once, in log order, signed with the secret shown once', async () => {
      const { receiver: r, url } = await receiver();
      const created = await register({
        url,
        types: ['InvitationIssued', 'InvitationRevoked'],
        deploymentId: ward,
      }).expect(201);
      expect(created.body).toMatchObject({ url, status: 'enabled', deploymentId: ward, maxEventsPerDelivery: 1 });
      expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const issued = await invite(t, admin, ward, [
        'hook-1@example.org',
        'hook-2@example.org',
        'hook-3@example.org',
      ]).expect(201);
      await request(t.server).delete(`/api/invitations/${issued.body.issued[0].id}`).set(bearer(admin)).expect(204);
      await r.until(() => r.received.length >= 4);
      const events = r.events();
      expect(events.map((e) => e.type)).toEqual([
        'InvitationIssued',
        'InvitationIssued',
        'InvitationIssued',
        'InvitationRevoked',
      ]);
      expect([...events].map((e) => e.position).sort()).toEqual(events.map((e) => e.position));
      expect(events.map((e) => e.data.email)).toEqual([
        'hook-1@example.org',
        'hook-2@example.org',
        'hook-3@example.org',
        undefined,
      ]);
      for (const delivery of r.received) {
        expect(WebhookReceiver.verifies(delivery, created.body.secret)).toBe(true);
        expect(WebhookReceiver.verifies(delivery, `whsec_${Buffer.alloc(32, 1).toString('base64')}`)).toBe(false);
        expect(delivery.headers['webhook-id']).toBe(delivery.payload.data.id);
        expect(delivery.payload.timestamp).toBe(delivery.payload.data.occurredAt);
      }
      // The checkpoint moves once the receiver's answer is in, a moment after the receiver has the request.
      const shownAt = () => request(t.server).get(`/api/webhooks/${created.body.id}`).set(bearer(admin)).expect(200);
      let shown = await shownAt();
      for (let i = 0; i < 100 && shown.body.deliveredThrough !== events[3].position; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        shown = await shownAt();
      }
      expect(shown.body.secret).toBeUndefined();
      expect(shown.body.deliveredThrough).toBe(events[3].position);
      const listed = await request(t.server).get('/api/webhooks').set(bearer(admin)).expect(200);
      expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
      await request(t.server).delete(`/api/webhooks/${created.body.id}`).set(bearer(admin)).expect(204);
    });

    it('retries a receiver that answers 500, with backoff, until it answers 200; the log shows each attempt', async () => {
      const { receiver: r, url } = await receiver();
      let calls = 0;
      r.answer = () => (++calls <= 2 ? 500 : 200);
      const created = await register({ url, types: ['InvitationIssued'], deploymentId: ward }).expect(201);
      await invite(t, admin, ward, ['retry-1@example.org', 'retry-2@example.org']).expect(201);
      await r.until(() => r.received.length === 1);
      // Nothing more until the backoff has passed on the service's clock.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(r.received).toHaveLength(1);
      await advance(t, 10);
      await r.until(() => r.received.length === 2);
      await advance(t, 20);
      await r.until(() => issuedIn(ward)(r).length === 4);
      const ids = r.received.map((d) => d.headers['webhook-id']);
      expect(ids.slice(0, 3)).toEqual([ids[0], ids[0], ids[0]]);
      expect(new Set(issuedIn(ward)(r).map((e) => e.data.email))).toEqual(
        new Set(['retry-1@example.org', 'retry-2@example.org']),
      );
      expect(r.received.every((d) => WebhookReceiver.verifies(d, created.body.secret))).toBe(true);
      const log = await deliveryLog(created.body.id, 4);
      expect(
        log.body.items.map((a: { delivered: boolean; attempt: number; responseStatus: number }) => [
          a.delivered,
          a.attempt,
          a.responseStatus,
        ]),
      ).toEqual([
        [true, 1, 200],
        [true, 3, 200],
        [false, 2, 500],
        [false, 1, 500],
      ]);
      const page = await request(t.server)
        .get(`/api/webhooks/${created.body.id}/deliveries?limit=3`)
        .set(bearer(admin))
        .expect(200);
      const rest = await request(t.server)
        .get(`/api/webhooks/${created.body.id}/deliveries?limit=3&cursor=${page.body.nextCursor}`)
        .set(bearer(admin))
        .expect(200);
      expect([...page.body.items, ...rest.body.items]).toEqual(log.body.items);
      expect(rest.body.nextCursor).toBeNull();
      await request(t.server).delete(`/api/webhooks/${created.body.id}`).set(bearer(admin)).expect(204);
    });

    it('disables an endpoint that failed for 3 days, says why, and resumes where it stopped when enabled', async () => {
      const { receiver: r, url } = await receiver();
      r.answer = () => 503;
      const created = await register({ url, types: ['InvitationIssued'], deploymentId: other }).expect(201);
      await invite(t, admin, other, ['down-1@example.org']).expect(201);
      await r.until(() => r.received.length === 1);
      await advance(t, 2 * 24 * 3600);
      await r.until(() => r.received.length === 2);
      const failing = await request(t.server).get(`/api/webhooks/${created.body.id}`).set(bearer(admin)).expect(200);
      expect(failing.body).toMatchObject({ status: 'enabled', failingSince: expect.any(String) });
      await advance(t, 24 * 3600 + 60);
      let shown = failing;
      await r.until(() => r.received.length === 3);
      for (let i = 0; i < 100 && shown.body.status !== 'disabled'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        shown = await request(t.server).get(`/api/webhooks/${created.body.id}`).set(bearer(admin)).expect(200);
      }
      expect(shown.body.status).toBe('disabled');
      expect(shown.body.disabledReason).toBe('Deliveries failed for 3 days (3 attempts); the last: answered 503');
      r.answer = () => 200;
      await request(t.server).post(`/api/webhooks/${created.body.id}/enable`).set(bearer(admin)).expect(200);
      await request(t.server)
        .post(`/api/webhooks/${created.body.id}/enable`)
        .set(bearer(admin))
        .expect(409)
        .expect((res) => expect(res.body.code).toBe('webhook_not_disabled'));
      await r.until(() => r.received.length === 4);
      expect(issuedIn(other)(r).map((e) => e.data.email)).toEqual(Array(4).fill('down-1@example.org'));
      await request(t.server).delete(`/api/webhooks/${created.body.id}`).set(bearer(admin)).expect(204);
    });

    it('gives an endpoint of one deployment nothing of another, and replays from a position', async () => {
      const { receiver: r, url } = await receiver();
      const created = await register({ url, types: ['InvitationIssued'], deploymentId: ward }).expect(201);
      await invite(t, admin, other, ['elsewhere@example.org']).expect(201);
      await invite(t, admin, ward, ['here-1@example.org', 'here-2@example.org']).expect(201);
      await r.until(() => r.received.length === 2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(r.events().map((e) => e.data.email)).toEqual(['here-1@example.org', 'here-2@example.org']);
      const first = r.events()[0].position;
      await request(t.server)
        .post(`/api/webhooks/${created.body.id}/replay`)
        .set(bearer(admin))
        .send({ fromPosition: first })
        .expect(200);
      await r.until(() => r.received.length === 3);
      expect(r.events().map((e) => e.data.email)).toEqual([
        'here-1@example.org',
        'here-2@example.org',
        'here-2@example.org',
      ]);
      await request(t.server)
        .post(`/api/webhooks/${created.body.id}/replay`)
        .set(bearer(admin))
        .send({ fromPosition: 'not-a-position' })
        .expect(400)
        .expect((res) => expect(res.body.code).toBe('invalid_position'));
      await request(t.server).delete(`/api/webhooks/${created.body.id}`).set(bearer(admin)).expect(204);
    });

    it('carries several waiting events in one delivery when the endpoint asks for batches', async () => {
      const { receiver: r, url } = await receiver();
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      r.answer = async () => {
        await held;
        return 200;
      };
      const created = await register({
        url,
        types: ['InvitationIssued'],
        deploymentId: ward,
        maxEventsPerDelivery: 50,
      }).expect(201);
      await invite(t, admin, ward, ['batch-0@example.org']).expect(201);
      await r.until(() => r.received.length === 1);
      await invite(
        t,
        admin,
        ward,
        Array.from({ length: 60 }, (_, i) => `batch-${i + 1}@example.org`),
      ).expect(201);
      release();
      await r.until(() => r.events().length === 61);
      expect(r.received.map((d) => d.payload.type)).toEqual(['batch', 'batch', 'batch']);
      expect(r.received.map((d) => d.payload.data.events!.length)).toEqual([1, 50, 10]);
      expect(r.events().map((e) => e.data.email)).toEqual(
        Array.from({ length: 61 }, (_, i) => `batch-${i}@example.org`),
      );
      expect(r.received.every((d) => WebhookReceiver.verifies(d, created.body.secret))).toBe(true);
      await request(t.server).delete(`/api/webhooks/${created.body.id}`).set(bearer(admin)).expect(204);
    });

    it('sends a signed test ping, records it, and after a rotation signs with both secrets for 24 hours', async () => {
      const { receiver: r, url } = await receiver();
      const created = await register({ url, types: ['StaffAccountCreated'] }).expect(201);
      const id = created.body.id;
      const ping = () => request(t.server).post(`/api/webhooks/${id}/test`).set(bearer(admin)).expect(200);
      expect((await ping()).body).toMatchObject({ delivered: true, responseStatus: 200, error: null });
      expect(r.received[0].payload).toMatchObject({ type: 'webhook.test', data: { endpointId: id } });
      expect(WebhookReceiver.verifies(r.received[0], created.body.secret)).toBe(true);
      const rotatedAt = Date.parse(await advance(t, 0));
      const rotated = await request(t.server).post(`/api/webhooks/${id}/secret`).set(bearer(admin)).expect(200);
      expect(rotated.body.secret).not.toBe(created.body.secret);
      const shown = await request(t.server).get(`/api/webhooks/${id}`).set(bearer(admin)).expect(200);
      expect(Date.parse(shown.body.previousSecretSignsUntil)).toBe(rotatedAt + 24 * 3_600_000);

      // Receivers change over at their pace: the old secret still verifies, and so does the new one.
      await ping();
      expect(WebhookReceiver.verifies(r.received[1], rotated.body.secret)).toBe(true);
      expect(WebhookReceiver.verifies(r.received[1], created.body.secret)).toBe(true);
      // A running delivery picks up both too.
      await createStaff(t, admin, { email: 'hooked-staff@example.org', role: 'OrganisationStaff' });
      await r.until(() => r.received.length === 3);
      expect(r.received[2].payload.type).toBe('StaffAccountCreated');
      expect(WebhookReceiver.verifies(r.received[2], rotated.body.secret)).toBe(true);
      expect(WebhookReceiver.verifies(r.received[2], created.body.secret)).toBe(true);

      // 24 hours on, only the new one signs.
      await advance(t, 24 * 3600);
      await ping();
      expect(WebhookReceiver.verifies(r.received[3], rotated.body.secret)).toBe(true);
      expect(WebhookReceiver.verifies(r.received[3], created.body.secret)).toBe(false);
      expect(
        (await request(t.server).get(`/api/webhooks/${id}`).set(bearer(admin))).body.previousSecretSignsUntil,
      ).toBe(null);
      const log = await deliveryLog(id, 4);
      expect(log.body.items.map((a: { kind: string }) => a.kind)).toEqual(['test', 'events', 'test', 'test']);
      await request(t.server).delete(`/api/webhooks/${id}`).set(bearer(admin)).expect(204);
    });

    it('stops the old secret at once when the rotation says so (after a leak)', async () => {
      const { receiver: r, url } = await receiver();
      const created = await register({ url, types: ['StaffAccountCreated'] }).expect(201);
      const id = created.body.id;
      const rotated = await request(t.server)
        .post(`/api/webhooks/${id}/secret`)
        .set(bearer(admin))
        .send({ previousSecretHours: 0 })
        .expect(200);
      await request(t.server).post(`/api/webhooks/${id}/test`).set(bearer(admin)).expect(200);
      expect(WebhookReceiver.verifies(r.received[0], rotated.body.secret)).toBe(true);
      expect(WebhookReceiver.verifies(r.received[0], created.body.secret)).toBe(false);
      expect(
        (await request(t.server).get(`/api/webhooks/${id}`).set(bearer(admin))).body.previousSecretSignsUntil,
      ).toBe(null);
      for (const previousSecretHours of [-1, 73, 1.5, 'soon'])
        expect(
          (
            await request(t.server)
              .post(`/api/webhooks/${id}/secret`)
              .set(bearer(admin))
              .send({ previousSecretHours })
              .expect(400)
          ).body.code,
        ).toBe('validation_failed');
      await request(t.server).delete(`/api/webhooks/${id}`).set(bearer(admin)).expect(204);
    });

    it('does not follow a redirect: the delivery fails and the target is never called', async () => {
      const { receiver: r, url } = await receiver();
      r.answer = () => 307;
      const created = await register({ url, types: ['InvitationIssued'], deploymentId: ward }).expect(201);
      const ping = await request(t.server).post(`/api/webhooks/${created.body.id}/test`).set(bearer(admin)).expect(200);
      expect(ping.body).toMatchObject({
        delivered: false,
        responseStatus: 307,
        error: 'answered 307: redirects are not followed',
      });
      expect(r.received).toHaveLength(1);
      await request(t.server).delete(`/api/webhooks/${created.body.id}`).set(bearer(admin)).expect(204);
    });

    it('refuses bad endpoints with a problem and writes nothing', async () => {
      const before = (await request(t.server).get('/api/webhooks').set(bearer(admin)).expect(200)).body.items;
      const { url } = await receiver();
      const refusals: [Record<string, unknown>, number, string][] = [
        [{ url: 'http://hooks.example.org/in', types: ['InvitationIssued'] }, 400, 'invalid_webhook_url'],
        [{ url: 'https://10.1.2.3/in', types: ['InvitationIssued'] }, 400, 'invalid_webhook_url'],
        [{ url: 'https://[::ffff:192.168.1.1]/in', types: ['InvitationIssued'] }, 400, 'invalid_webhook_url'],
        [{ url: 'https://169.254.169.254/latest', types: ['InvitationIssued'] }, 400, 'invalid_webhook_url'],
        [{ url: 'https://user:pw@hooks.example.org/in', types: ['InvitationIssued'] }, 400, 'invalid_webhook_url'],
        [{ url: 'ftp://hooks.example.org/in', types: ['InvitationIssued'] }, 400, 'invalid_webhook_url'],
        [{ url: 'not a url', types: ['InvitationIssued'] }, 400, 'invalid_webhook_url'],
        [{ url, types: [] }, 400, 'invalid_event_types'],
        [{ url, types: ['InvitationIssuedd'] }, 400, 'invalid_event_types'],
        [{ url, types: 'InvitationIssued' }, 400, 'validation_failed'],
        [{ url, types: ['InvitationIssued'], maxEventsPerDelivery: 0 }, 400, 'validation_failed'],
        [
          { url, types: ['InvitationIssued'], deploymentId: '00000000-0000-4000-8000-000000000000' },
          404,
          'deployment_not_found',
        ],
      ];
      for (const [body, status, code] of refusals) {
        const res = await register(body);
        expect([body, res.status, res.body.code]).toEqual([body, status, code]);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
      const staff = await createStaff(t, admin, { email: 'no-hooks@example.org', role: 'OrganisationStaff' });
      expect((await register({ url, types: ['InvitationIssued'] }, staff)).status).toBe(403);
      await request(t.server).get('/api/webhooks').set(bearer(staff)).expect(403);
      const id = '00000000-0000-4000-8000-000000000000';
      for (const path of [`/api/webhooks/${id}`, `/api/webhooks/${id}/deliveries`])
        await request(t.server).get(path).set(bearer(admin)).expect(404);
      await request(t.server).post(`/api/webhooks/${id}/test`).set(bearer(admin)).expect(404);
      expect((await request(t.server).get('/api/webhooks').set(bearer(admin)).expect(200)).body.items).toEqual(before);
    });
  });
});

describeWithPostgres('webhooks with two instances on PostgreSQL', () => {
  let both: TwoInstances;
  const r = new WebhookReceiver();

  beforeAll(async () => {
    both = await twoInstancesOnPostgres();
  });
  afterAll(async () => {
    await r.stop();
    await both?.close();
  });

  it('delivers what either instance writes exactly once and in order, and goes on when one instance stops delivering', async () => {
    const url = await r.start();
    const [adminA, adminB] = await Promise.all([
      login(both.a, ADMIN.email, ADMIN.password),
      login(both.b, ADMIN.email, ADMIN.password),
    ]);
    const ward = await newDeployment(both.a, adminA, 'Shared ward');
    const created = await request(both.b.server)
      .post('/api/webhooks')
      .set(bearer(adminB))
      .send({ url, types: ['InvitationIssued'], deploymentId: ward })
      .expect(201);
    const addresses = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}@example.org`);
    await Promise.all([
      ...[0, 1, 2, 3].map((i) => invite(both.a, adminA, ward, addresses(`a${i}`, 50)).expect(201)),
      ...[0, 1, 2, 3].map((i) => invite(both.b, adminB, ward, addresses(`b${i}`, 50)).expect(201)),
    ]);
    await r.until(() => r.events().length >= 400);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const events = r.events();
    expect(events).toHaveLength(400);
    expect(new Set(events.map((e) => e.id)).size).toBe(400);
    expect([...events.map((e) => e.position)].sort()).toEqual(events.map((e) => e.position));
    expect(r.received.every((d) => WebhookReceiver.verifies(d, created.body.secret))).toBe(true);

    // Deliveries stop on one instance, then on the other: each time the other one takes over.
    await both.a.app.get(WebhookDispatcher).stop();
    await invite(both.b, adminB, ward, addresses('after-a', 20)).expect(201);
    await r.until(() => r.events().length >= 420, 30_000);
    both.a.app.get(WebhookDispatcher).start();
    await both.b.app.get(WebhookDispatcher).stop();
    await invite(both.b, adminB, ward, addresses('after-b', 20)).expect(201);
    await r.until(() => r.events().length >= 440, 30_000);
    expect(
      r
        .events()
        .slice(400)
        .map((e) => e.data.email),
    ).toEqual([...addresses('after-a', 20), ...addresses('after-b', 20)]);
  });
});
