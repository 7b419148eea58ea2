import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, createStaff, login, settled, TEST_ENV } from './support/identity';
import { advance, eventsOf, invite, personalToken, tokenOfUrl } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';

const HOUR = 3600;
const DAY = 24 * HOUR;

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('time and shareable links on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: string;
    let d1: string;
    const email = () => `p-${randomUUID().slice(0, 8)}@example.org`;

    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
      d1 = (await request(t.server).post('/api/deployments').set(bearer(admin)).send({ name: 'Study' }).expect(201))
        .body.id;
    });
    afterAll(async () => t?.close());

    it('expires an invitation when its window passes, and revives it by a new invite with a new link', async () => {
      const a = email();
      const issued = (await invite(t, admin, d1, [a], '24h').expect(201)).body.issued[0];
      const oldToken = await personalToken(t, issued.id);
      await advance(t, 24 * HOUR + 1);
      expect((await request(t.server).get(`/api/public/invitations/${oldToken}`)).body).toMatchObject({
        status: 410,
        code: 'invitation_expired',
      });
      expect(
        (await request(t.server).get(`/api/invitations/${issued.id}`).set(bearer(admin)).expect(200)).body.status,
      ).toBe('expired');
      const types = (await eventsOf(t, `invitation-${issued.id}`)).map((e) => e.type);
      expect(types).toEqual(['InvitationIssued', 'InvitationExpired']);
      await advance(t, DAY);
      expect((await eventsOf(t, `invitation-${issued.id}`)).filter((e) => e.type === 'InvitationExpired')).toHaveLength(
        1,
      );
      const revived = await invite(t, admin, d1, [a], '7d').expect(201);
      expect(revived.body.issued).toEqual([
        expect.objectContaining({ id: issued.id, status: 'pending', expiresIn: '7d', sendCount: 2 }),
      ]);
      expect((await request(t.server).get(`/api/public/invitations/${oldToken}`)).body).toMatchObject({
        status: 410,
        code: 'invitation_superseded',
      });
      await request(t.server)
        .get(`/api/public/invitations/${await personalToken(t, issued.id)}`)
        .expect(200);
      const expiredList = await request(t.server)
        .get(`/api/deployments/${d1}/invitations?status=expired&q=${a}`)
        .set(bearer(admin))
        .expect(200);
      expect(expiredList.body.items).toEqual([]);
    });

    it('resends an expired invitation with the window used last', async () => {
      const issued = (await invite(t, admin, d1, [email()], '48h').expect(201)).body.issued[0];
      await advance(t, 49 * HOUR);
      const resent = await request(t.server)
        .post(`/api/invitations/${issued.id}/resend`)
        .set(bearer(admin))
        .send({})
        .expect(200);
      expect(resent.body).toMatchObject({ status: 'pending', expiresIn: '48h' });
      expect(Date.parse(resent.body.expiresAt) - Date.parse(resent.body.lastSentAt)).toBe(48 * HOUR * 1000);
      expect(
        (
          await request(t.server)
            .post(`/api/invitations/${issued.id}/resend`)
            .set(bearer(admin))
            .send({ expiresIn: '2d' })
        ).body.code,
      ).toBe('invalid_expiry');
    });

    describe('shareable links', () => {
      it('generates, lists, shows and signs up through a link; the answer never reveals the address', async () => {
        const link = (
          await request(t.server)
            .post(`/api/deployments/${d1}/invitation-links`)
            .set(bearer(admin))
            .send({ expiresIn: '7d' })
            .expect(201)
        ).body;
        expect(link).toMatchObject({
          id: expect.any(String),
          deploymentId: d1,
          status: 'active',
          url: expect.stringMatching(/^http:\/\/localhost:3000\/join\/[A-Za-z0-9_.-]+$/),
        });
        const token = tokenOfUrl(link.url);
        expect((await request(t.server).get(`/api/public/invitation-links/${token}`).expect(200)).body).toEqual({
          deploymentName: 'Study',
          language: 'en',
          timeZone: 'UTC',
          expiresAt: link.expiresAt,
        });

        const fresh = email();
        const pending = email();
        await invite(t, admin, d1, [pending]).expect(201);
        const registered = email();
        const regId = (await invite(t, admin, d1, [registered]).expect(201)).body.issued[0].id;
        await request(t.server)
          .post(`/api/public/invitations/${await personalToken(t, regId)}/accept`)
          .send({ password: 'patient passphrase 1' })
          .expect(201);

        // Ten minutes on, the pending invitation may be emailed again; the two sign-ups of `fresh` now are one email.
        await advance(t, 600);
        const answers = await Promise.all(
          [fresh, pending, registered, fresh].map((e) =>
            request(t.server).post(`/api/public/invitation-links/${token}/sign-up`).send({ email: e }),
          ),
        );
        for (const answer of answers)
          expect({ status: answer.status, body: answer.body }).toEqual({ status: 202, body: {} });
        await settled(t);

        const viaLink = await request(t.server)
          .get(`/api/deployments/${d1}/invitations?channel=link&linkId=${link.id}`)
          .set(bearer(admin))
          .expect(200);
        expect(viaLink.body.items).toEqual([
          expect.objectContaining({
            email: fresh,
            channel: 'link',
            linkId: link.id,
            expiresAt: link.expiresAt,
            expiresIn: '7d',
            sendCount: 1,
          }),
        ]);
        const pendingRow = (
          await request(t.server).get(`/api/deployments/${d1}/invitations?q=${pending}`).set(bearer(admin))
        ).body.items[0];
        expect(pendingRow).toMatchObject({ channel: 'email', sendCount: 2 });
        const notices = (await eventsOf(t, `invitationLink-${link.id}`)).filter(
          (e) => e.type === 'ExistingAccountNoticeRequested',
        );
        expect(notices.map((e) => e.data.email)).toEqual([registered]);

        const list = await request(t.server)
          .get(`/api/deployments/${d1}/invitation-links`)
          .set(bearer(admin))
          .expect(200);
        expect(list.body.items).toEqual([
          { id: link.id, url: link.url, expiresAt: link.expiresAt, status: 'active', signUps: 1, redeemed: 0 },
        ]);

        expect(
          (
            await request(t.server)
              .post(`/api/public/invitation-links/${token}/sign-up`)
              .send({ email: 'not an address' })
          ).body,
        ).toMatchObject({ status: 400, code: 'invalid_email' });
        expect(
          (await request(t.server).get(`/api/public/invitation-links/${token.slice(0, -2)}xx`)).body,
        ).toMatchObject({ status: 404, code: 'invalid_token' });

        await request(t.server).delete(`/api/invitation-links/${link.id}`).set(bearer(admin)).expect(204);
        expect(
          (await request(t.server).post(`/api/public/invitation-links/${token}/sign-up`).send({ email: email() })).body,
        ).toMatchObject({ status: 410, code: 'link_revoked' });
        expect((await request(t.server).get(`/api/public/invitation-links/${token}`)).body).toMatchObject({
          status: 410,
          code: 'link_revoked',
        });
        // Invitations already issued through a withdrawn link stay valid.
        await request(t.server)
          .get(`/api/public/invitations/${await personalToken(t, viaLink.body.items[0].id)}`)
          .expect(200);
      });

      it('reminds each sign-up made before the 24-hour mark once, then expires all', async () => {
        const link = (
          await request(t.server)
            .post(`/api/deployments/${d1}/invitation-links`)
            .set(bearer(admin))
            .send({ expiresIn: '7d' })
            .expect(201)
        ).body;
        const token = tokenOfUrl(link.url);
        const early = email();
        await request(t.server)
          .post(`/api/public/invitation-links/${token}/sign-up`)
          .send({ email: early })
          .expect(202);
        await advance(t, 5 * DAY + 12 * HOUR);
        const beforeMark = email();
        await request(t.server)
          .post(`/api/public/invitation-links/${token}/sign-up`)
          .send({ email: beforeMark })
          .expect(202);
        await advance(t, 12 * HOUR + 60);
        // Past the mark (24 h before the link expires): a sign-up now has a fresh email and gets no reminder.
        const late = email();
        await request(t.server).post(`/api/public/invitation-links/${token}/sign-up`).send({ email: late }).expect(202);
        await advance(t, HOUR);
        await settled(t);
        const rows = (
          await request(t.server).get(`/api/deployments/${d1}/invitations?linkId=${link.id}`).set(bearer(admin))
        ).body.items;
        const reminders = async (address: string) => {
          const id = rows.find((r: { email: string }) => r.email === address).id;
          return (await eventsOf(t, `invitation-${id}`)).filter((e) => e.type === 'InvitationReminderDue');
        };
        expect(await reminders(early)).toHaveLength(1);
        expect(await reminders(beforeMark)).toHaveLength(1);
        expect(await reminders(late)).toHaveLength(0);
        await advance(t, DAY);
        expect(
          (await request(t.server).post(`/api/public/invitation-links/${token}/sign-up`).send({ email: email() })).body,
        ).toMatchObject({ status: 410, code: 'link_expired' });
        const links = (await request(t.server).get(`/api/deployments/${d1}/invitation-links`).set(bearer(admin))).body
          .items;
        expect(links.find((l: { id: string }) => l.id === link.id)).toMatchObject({ status: 'expired', signUps: 3 });
        expect(await reminders(early)).toHaveLength(1);
      });
    });

    describe('audit feed', () => {
      it('pages through the whole log in global order for view_audit_log only', async () => {
        const first = await request(t.server).get('/api/events?limit=5').set(bearer(admin)).expect(200);
        expect(first.body.events).toHaveLength(5);
        expect(first.body.events[0]).toMatchObject({
          position: expect.any(String),
          streamId: expect.any(String),
          type: 'BootstrapCompleted',
          revision: 0,
          metadata: expect.any(Object),
        });
        const next = await request(t.server)
          .get(`/api/events?after=${first.body.nextPosition}&limit=5`)
          .set(bearer(admin))
          .expect(200);
        expect(next.body.events[0].position > first.body.nextPosition).toBe(true);
        let after = next.body.nextPosition;
        for (;;) {
          const page = await request(t.server)
            .get(`/api/events?after=${after}&limit=1000`)
            .set(bearer(admin))
            .expect(200);
          if (!page.body.events.length) {
            expect(page.body.nextPosition).toBe(after);
            break;
          }
          after = page.body.nextPosition;
        }
        expect((await request(t.server).get('/api/events?after=zzz').set(bearer(admin))).body).toMatchObject({
          status: 400,
          code: 'invalid_position',
        });
        expect((await request(t.server).get('/api/events?limit=1001').set(bearer(admin))).status).toBe(400);
        const staff = await createStaff(t, admin, {
          email: `os-${randomUUID().slice(0, 6)}@example.org`,
          role: 'AccessController',
        });
        expect((await request(t.server).get('/api/events').set(bearer(staff))).status).toBe(403);
      });
    });
  });
});

describe('without TEST_CLOCK', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ ...TEST_ENV, TEST_CLOCK: 'disabled' })));
  afterAll(async () => t?.close());

  it('has no clock endpoint, and serves the OpenAPI document', async () => {
    await request(t.server).post('/api/testing/clock/advance').send({ seconds: 1 }).expect(404);
    const docs = await request(t.server).get('/api/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/deployments/{deploymentId}/invitations',
        '/api/invitations/{id}/resend',
        '/api/public/invitations/{token}/accept',
        '/api/public/invitation-links/{token}/sign-up',
        '/api/events',
      ]),
    );
    await request(t.server).get('/api/docs').expect(200);
  });
});
