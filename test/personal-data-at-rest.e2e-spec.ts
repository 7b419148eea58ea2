import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, login, newDeployment, settled, TEST_ENV } from './support/identity';
import { eventsOf, invite, personalToken } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('personal data at rest on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let db: SqlDatabase;
    let admin: string;
    let ward: string;
    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      db = t.app.get<SqlDatabase>(SQL_DATABASE);
      admin = await login(t, ADMIN.email, ADMIN.password);
      ward = await newDeployment(t, admin, 'Sealed ward');
    });
    afterAll(async () => t?.close());

    it("keeps a patient's address and name out of the stored events, and shows them to every reader", async () => {
      const address = 'sealed.patient@example.org';
      const { body } = await invite(t, admin, ward, [address]).expect(201);
      const id = body.issued[0].id;
      await request(t.server)
        .post(`/api/public/invitations/${await personalToken(t, id)}/accept`)
        .send({ password: 'patient passphrase 1', displayName: 'Sealed Patient' })
        .expect(201);
      await settled(t);
      const stored = JSON.stringify(
        await db.query(`SELECT ${store === 'postgres' ? 'data::text AS data' : 'data'} FROM events`),
      );
      expect(stored).toContain('pd1.');
      expect(stored).not.toContain('sealed.patient');
      expect(stored).not.toContain('Sealed Patient');
      // Everything that reads the log reads the address: the aggregate, the list, the feed.
      const [issued] = await eventsOf(t, `invitation-${id}`);
      expect(issued.data.email).toBe(address);
      const got = await request(t.server).get(`/api/invitations/${id}`).set(bearer(admin)).expect(200);
      expect(got.body).toMatchObject({ email: address, status: 'redeemed' });
      const feed = await request(t.server)
        .get('/api/events')
        .query({ deploymentId: ward })
        .set(bearer(admin))
        .expect(200);
      expect(JSON.stringify(feed.body)).toContain(address);
      expect(JSON.stringify(feed.body)).toContain('Sealed Patient');
      // As written (what the integrity chain hashes), the event stays sealed.
      const asWritten = [];
      for await (const e of t.app
        .get<EventStore>(EVENT_STORE)
        .readAll({ filter: { types: ['InvitationIssued'] }, asWritten: true }))
        asWritten.push(e);
      expect(asWritten.map((e) => e.data.email)).toEqual([expect.stringMatching(/^pd1\./)]);
    });
  });
});
