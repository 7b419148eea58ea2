import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { EVENT_STORE, type EventStore, type NewEvent } from '@app/event-store';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, login, newDeployment, TEST_ENV } from './support/identity';
import { invite } from './support/invitations';
import { listening, readEventStream, type ServerSentEvent } from './support/event-source';
import { startTestApp, type TestApp } from './support/test-app';
import { type TwoInstances, twoInstancesOnPostgres } from './support/two-instances';

/** Events in a category nothing else reads, in a deployment, as many as asked, appended in batches. */
async function appendTicks(store: EventStore, deploymentId: string, count: number, batch = 1000): Promise<void> {
  for (let n = 0; n < count; n += batch) {
    const events: NewEvent[] = Array.from({ length: Math.min(batch, count - n) }, (_, i) => ({
      id: randomUUID(),
      type: 'StreamTick',
      schemaVersion: 1,
      data: { n: n + i },
      metadata: { actor: { type: 'system' }, deploymentId },
    }));
    await store.appendToStreams([{ stream: `tick-${randomUUID()}`, events, expectedRevision: 'no_stream' }]);
  }
}

function ticksOf(events: ServerSentEvent[]): number[] {
  return events
    .filter((e) => e.event === 'StreamTick')
    .map((e) => (JSON.parse(e.data) as { data: { n: number } }).data.n);
}

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('the live event stream on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let base: string;
    let admin: string;
    let mine: string;
    let theirs: string;

    beforeAll(async () => {
      t = await startTestApp(
        { ...TEST_ENV, EVENT_STREAM_HEARTBEAT_SECONDS: '1', EVENT_STREAM_MAX_PER_CLIENT: '2' },
        store,
      );
      base = await listening(t);
      admin = await login(t, ADMIN.email, ADMIN.password);
      mine = await newDeployment(t, admin, 'Mine');
      theirs = await newDeployment(t, admin, 'Theirs');
    });
    afterAll(async () => t?.close());

    it('resumed after Last-Event-ID at 20 random points across 50,000 events, sees each exactly once, in order', async () => {
      const log = t.app.get<EventStore>(EVENT_STORE);
      const start = await log.headPosition();
      const total = Number(process.env.TICKS ?? 50_000);
      const writing = appendTicks(log, mine, total);
      const seen: ServerSentEvent[] = [];
      let last = start;
      let seed = 42;
      const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
      for (let cuts = 0; seen.length < total; cuts++) {
        // 20 disconnects spread over the run, each after a random number of events; then read to the end.
        const stopAfter = cuts < 20 ? 1 + Math.floor(random() * (total / 10)) : Infinity;
        let read = 0;
        const status = await readEventStream(
          `${base}/api/events/stream?types=StreamTick`,
          { ...bearer(admin), 'Last-Event-ID': last },
          (event) => {
            if (!('data' in event)) return true;
            seen.push(event);
            last = event.id!;
            return ++read < stopAfter && seen.length < total;
          },
        );
        expect(status).toBe(200);
      }
      await writing;
      const ticks = ticksOf(seen);
      expect(ticks.length).toBe(total);
      expect(ticks).toEqual(Array.from({ length: total }, (_, i) => i));
      const ids = seen.map((e) => e.id!);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(ids);
    });

    it("shows a caller only its deployments' events, with the feed's filters, nothing secret", async () => {
      const auditorToken = await login(t, ADMIN.email, ADMIN.password);
      const from = await t.app.get<EventStore>(EVENT_STORE).headPosition();
      await invite(t, admin, theirs, ['theirs@example.org']).expect(201);
      await invite(t, admin, mine, ['mine@example.org']).expect(201);
      const seen: ServerSentEvent[] = [];
      await readEventStream(
        `${base}/api/events/stream?deploymentId=${mine}&categories=invitation`,
        { ...bearer(auditorToken), 'Last-Event-ID': from },
        (event) => {
          if ('data' in event) seen.push(event);
          return !seen.some((e) => e.event === 'InvitationIssued');
        },
      );
      const text = JSON.stringify(seen.map((e) => JSON.parse(e.data)));
      expect(text).toContain('mine@example.org');
      expect(text).not.toContain('theirs@example.org');
      expect(text).not.toMatch(/nonce/);
      expect(seen.every((e) => JSON.parse(e.data).streamId.startsWith('invitation'))).toBe(true);
    });

    it('starts from now without a position, and sends a heartbeat while nothing happens', async () => {
      const log = t.app.get<EventStore>(EVENT_STORE);
      await appendTicks(log, mine, 3);
      // "Now" is the newest position readers see. On PostgreSQL that trails the last commit while any
      // older transaction is open (one could still commit below it), so the stream would start before
      // these ticks: wait until they are what readers see.
      const appended = await log.committedHead();
      while ((await log.headPosition()) < appended) await log.waitForAppend(20);
      const got: (ServerSentEvent | { comment: string })[] = [];
      const status = await readEventStream(`${base}/api/events/stream?types=StreamTick`, bearer(admin), (event) => {
        got.push(event);
        return !('comment' in event && event.comment === 'heartbeat');
      });
      expect(status).toBe(200);
      expect(got).toContainEqual({ comment: 'heartbeat' });
      expect(got.filter((e) => 'data' in e)).toEqual([]);
    });

    it('ends an open stream once its caller may no longer read it (a service account revoked)', async () => {
      const account = (
        await request(t.server)
          .post('/api/service-accounts')
          .set(bearer(admin))
          .send({ name: 'Follower', scopes: ['events:read'] })
          .expect(201)
      ).body;
      const token = (
        await request(t.server)
          .post('/api/oauth/token')
          .type('form')
          .send({ grant_type: 'client_credentials', client_id: account.clientId, client_secret: account.clientSecret })
          .expect(200)
      ).body.access_token;
      let opened!: () => void;
      const open = new Promise<void>((resolve) => (opened = resolve));
      let comments = 0;
      const reading = readEventStream(`${base}/api/events/stream?types=StreamTick`, bearer(token), (event) => {
        if ('comment' in event && ++comments === 1) opened();
        return true; // reads until the server ends the stream
      });
      await open;
      await request(t.server).delete(`/api/service-accounts/${account.id}`).set(bearer(admin)).expect(204);
      expect(await reading).toBe(200);
    });

    it('refuses before the stream starts: a position not ours, a deployment not the caller’s, too many streams', async () => {
      const bad = await request(t.server).get('/api/events/stream?after=nonsense').set(bearer(admin)).expect(400);
      expect(bad.body.code).toBe('invalid_position');
      await request(t.server)
        .get('/api/events/stream?deploymentId=00000000-0000-4000-8000-000000000000')
        .set(bearer(admin))
        .expect(404);
      const held = [0, 1].map(() => {
        const stop = new AbortController();
        const opened = fetch(`${base}/api/events/stream`, { headers: bearer(admin), signal: stop.signal });
        return { stop, opened };
      });
      const answers = await Promise.all(held.map((h) => h.opened));
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      const third = await request(t.server).get('/api/events/stream').set(bearer(admin)).expect(429);
      expect(third.body.code).toBe('too_many_streams');
      for (const h of held) h.stop.abort();
      // Closing frees the places: a new stream opens again.
      let status = 429;
      while (status === 429) status = await readEventStream(`${base}/api/events/stream`, bearer(admin), () => false);
      expect(status).toBe(200);
    });
  });
});

describeWithPostgres('the live event stream across two instances', () => {
  let a: TestApp;
  let b: TestApp;
  let instances: TwoInstances;

  beforeAll(async () => {
    instances = await twoInstancesOnPostgres();
    ({ a, b } = instances);
  });
  afterAll(async () => instances?.close());

  it('shows on one instance the events written through the other', async () => {
    const admin = await login(a, ADMIN.email, ADMIN.password);
    const deployment = await newDeployment(a, admin, 'Shared');
    const from = await b.app.get<EventStore>(EVENT_STORE).headPosition();
    const seen: ServerSentEvent[] = [];
    const reading = readEventStream(
      `${await listening(b)}/api/events/stream?types=InvitationIssued`,
      { ...bearer(admin), 'Last-Event-ID': from },
      (event) => {
        if ('data' in event) seen.push(event);
        return seen.length < 3;
      },
    );
    await invite(a, admin, deployment, ['x1@example.org', 'x2@example.org', 'x3@example.org']).expect(201);
    await reading;
    expect(seen.map((e) => JSON.parse(e.data).data.email).sort()).toEqual([
      'x1@example.org',
      'x2@example.org',
      'x3@example.org',
    ]);
  });
});
