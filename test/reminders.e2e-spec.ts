import request from 'supertest';
import { describeWithPostgres, postgresUrl, temporaryPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, firstDeployment, login, TEST_ENV } from './support/identity';
import { advance, eventsOf, invite, personalToken, tokenOfUrl } from './support/invitations';
import { startTestApp, type TestApp, withSearchPath } from './support/test-app';

const HOUR = 3600;
const DAY = 24 * HOUR;
let n = 0;
const email = () => `reminded-${++n}-${Date.now()}@example.org`;

async function remindersOf(t: TestApp, invitationId: string) {
  return (await eventsOf(t, `invitation-${invitationId}`)).filter((e) => e.type === 'InvitationReminderDue');
}

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('reminders on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: string;
    let deployment: string;
    beforeEach(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
      deployment = await firstDeployment(t, admin);
    });
    afterEach(async () => t?.close());

    async function signUpThrough(expiresIn: string) {
      const link = (
        await request(t.server)
          .post(`/api/deployments/${deployment}/invitation-links`)
          .set(bearer(admin))
          .send({ expiresIn })
          .expect(201)
      ).body;
      const address = email();
      await request(t.server)
        .post(`/api/public/invitation-links/${tokenOfUrl(link.url)}/sign-up`)
        .send({ email: address })
        .expect(202);
      await advance(t, 0);
      const rows = (
        await request(t.server).get(`/api/deployments/${deployment}/invitations?linkId=${link.id}`).set(bearer(admin))
      ).body.items;
      return rows[0].id as string;
    }

    it.each([
      ['48h', 1],
      ['7d', 1],
      ['1y', 1],
      ['24h', 0],
    ])('reminds a sign-up through a %s link %i time(s), 24 h before the link expires', async (window, expected) => {
      const id = await signUpThrough(window);
      const seconds = { '24h': DAY, '48h': 2 * DAY, '7d': 7 * DAY, '1y': 365 * DAY }[window]!;
      await advance(t, Math.max(0, seconds - DAY - 60));
      expect(await remindersOf(t, id)).toHaveLength(0);
      await advance(t, 120);
      await advance(t, 60);
      expect(await remindersOf(t, id)).toHaveLength(expected);
      await advance(t, DAY);
      expect(await remindersOf(t, id)).toHaveLength(expected);
    });

    it.each([
      ['1y', 1, 365 * DAY],
      ['7d', 1, 7 * DAY],
      ['48h', 1, 2 * DAY],
      ['24h', 0, DAY],
    ])('reminds a personal %s invitation %i time(s), 24 h before its own expiry', async (window, expected, seconds) => {
      const id = (await invite(t, admin, deployment, [email()], window).expect(201)).body.issued[0].id;
      await advance(t, seconds - DAY + 60);
      expect(await remindersOf(t, id)).toHaveLength(expected);
      const outbox = (
        await request(t.server)
          .get('/api/dev/outbox')
          .query({ to: (await request(t.server).get(`/api/invitations/${id}`).set(bearer(admin))).body.email })
      ).body.messages;
      expect(outbox.filter((m: { template: string }) => m.template === 'reminder')).toHaveLength(expected);
    });

    it('reminds nobody who has already made their account', async () => {
      const id = (await invite(t, admin, deployment, [email()], '7d').expect(201)).body.issued[0].id;
      await request(t.server)
        .post(`/api/public/invitations/${await personalToken(t, id)}/accept`)
        .send({ password: 'patient passphrase 1' })
        .expect(201);
      await advance(t, 6 * DAY + 60);
      expect(await remindersOf(t, id)).toHaveLength(0);
    });

    it("reminds personal invitations only while the deployment's remindPersonalInvitations is on", async () => {
      await request(t.server)
        .patch(`/api/deployments/${deployment}/settings`)
        .set(bearer(admin))
        .send({ remindPersonalInvitations: false })
        .expect(200);
      const personal = (await invite(t, admin, deployment, [email()], '7d').expect(201)).body.issued[0].id;
      const signUp = await signUpThrough('7d');
      await advance(t, 6 * DAY + 60);
      expect(await remindersOf(t, personal)).toHaveLength(0);
      expect(await remindersOf(t, signUp)).toHaveLength(1);
      await request(t.server)
        .patch(`/api/deployments/${deployment}/settings`)
        .set(bearer(admin))
        .send({ remindPersonalInvitations: true })
        .expect(200);
      await advance(t, 60);
      expect(await remindersOf(t, personal)).toHaveLength(1);
    });
  });
});

describeWithPostgres('reminders with two instances', () => {
  it('are marked exactly once when both run the jobs at the same moment', async () => {
    const pg = await temporaryPostgres();
    const env = { ...TEST_ENV, EVENT_STORE: 'postgres', DATABASE_URL: withSearchPath(postgresUrl, pg.schema) };
    const [a, b]: TestApp[] = await Promise.all([startTestApp(env), startTestApp(env)]);
    try {
      const admin = await login(a, ADMIN.email, ADMIN.password);
      const deployment = await firstDeployment(a, admin);
      const ids = (
        await invite(
          a,
          admin,
          deployment,
          Array.from({ length: 20 }, () => email()),
          '7d',
        ).expect(201)
      ).body.issued.map((i: { id: string }) => i.id);
      await Promise.all([advance(a, 0), advance(b, 0)]);
      // Both clocks move on together; both run their jobs at once.
      await Promise.all([advance(a, 6 * DAY + 60), advance(b, 6 * DAY + 60)]);
      for (const id of ids) expect(await remindersOf(a, id)).toHaveLength(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await pg.drop();
    }
  });
});
