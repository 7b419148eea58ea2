import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { signMailgun } from '../libs/notifications/webhooks/mailgun-signature';
import { FakeMailgun, mailgunEnv } from './support/fake-mailgun';
import { ADMIN, bearer, firstDeployment, login, settled, TEST_ENV } from './support/identity';
import { advance, eventsOf, invite, personalToken } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';

const SIGNING_KEY = 'whsec-test-signing-key-0123456789';
const HOUR = 3600;

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('delivery failures on %s', (store, describeStore) => {
  describeStore(store, () => {
    let mailgun: FakeMailgun;
    let t: TestApp;
    let admin: string;
    let deployment: string;
    let n = 0;
    const email = () => `bounce-${++n}-${Date.now()}@example.org`;

    beforeEach(async () => {
      mailgun = new FakeMailgun();
      const env = {
        ...TEST_ENV,
        ...mailgunEnv(await mailgun.start(), { MAIL_MAX_ATTEMPTS: '1', MAILGUN_WEBHOOK_SIGNING_KEY: SIGNING_KEY }),
      };
      t = await startTestApp(env, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
      deployment = await firstDeployment(t, admin);
    });
    afterEach(async () => {
      await t?.close();
      await mailgun.stop();
    });

    /** Issues one invitation and sends it: its id, and what Mailgun was handed for it. */
    async function sentInvitation(expiresIn = '7d') {
      const to = email();
      const id = (await invite(t, admin, deployment, [to], expiresIn).expect(201)).body.issued[0].id as string;
      await advance(t, 0);
      const sent = mailgun.requests.find((r) => r.fields.get('to')?.includes(to))!;
      const variables = JSON.parse(sent.fields.get('recipient-variables')![0]);
      return { id, to, mailId: variables[to].mailId as string };
    }

    async function now(): Promise<Date> {
      return new Date(await advance(t, 0));
    }

    function signed(at: Date, key = SIGNING_KEY, token = randomBytes(25).toString('hex')) {
      return signMailgun(key, String(Math.floor(at.getTime() / 1000)), token);
    }

    function post(signature: object, eventData: object) {
      return request(t.server).post('/api/webhooks/mailgun').send({ signature, 'event-data': eventData });
    }

    const bounce = (to: string, extra: object = {}) => ({
      id: `evt-${randomBytes(8).toString('hex')}`,
      event: 'failed',
      severity: 'permanent',
      reason: 'bounce',
      recipient: to,
      'delivery-status': {
        code: 550,
        message: '5.1.1 mailbox unavailable',
        description: `The email account <${to}> that you tried to reach does not exist`,
      },
      ...extra,
    });

    describe('the signature', () => {
      it('is believed when made with the signing key, now', async () => {
        const { to, mailId } = await sentInvitation();
        const res = await post(signed(await now()), bounce(to, { 'user-variables': { mailId } })).expect(200);
        expect(res.body).toEqual({ outcome: 'recorded' });
      });

      it('is refused when made with another key, recording nothing', async () => {
        const { id, to, mailId } = await sentInvitation();
        const res = await post(signed(await now(), 'another key'), bounce(to, { 'user-variables': { mailId } }));
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('invalid_signature');
        expect((await eventsOf(t, `mail-${mailId}`)).map((e) => e.type)).toEqual(['MailSent']);
        await settled(t);
        expect((await request(t.server).get(`/api/invitations/${id}`).set(bearer(admin))).body.emailStatus).toBe(
          'sent',
        );
      });

      it('is refused when its timestamp is more than five minutes from now, either way', async () => {
        const { to, mailId } = await sentInvitation();
        const at = await now();
        for (const offset of [-6 * 60_000, 6 * 60_000]) {
          const res = await post(signed(new Date(at.getTime() + offset)), bounce(to, { 'user-variables': { mailId } }));
          expect([res.status, res.body.code]).toEqual([401, 'stale_signature']);
        }
        expect((await eventsOf(t, `mail-${mailId}`)).map((e) => e.type)).toEqual(['MailSent']);
      });

      it('is refused when replayed, even with another event', async () => {
        const { to, mailId } = await sentInvitation();
        const signature = signed(await now());
        await post(signature, { id: 'evt-delivered', event: 'delivered', recipient: to }).expect(200);
        const replay = await post(signature, bounce(to, { 'user-variables': { mailId } }));
        expect([replay.status, replay.body.code]).toEqual([409, 'replayed_signature']);
        expect((await eventsOf(t, `mail-${mailId}`)).map((e) => e.type)).toEqual(['MailSent']);
      });

      it('is checked before the body means anything: a malformed one is a 400 problem, never a 500', async () => {
        const res = await request(t.server).post('/api/webhooks/mailgun').send({ signature: 'x' }).expect(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        await request(t.server).post('/api/webhooks/mailgun').send({}).expect(400);
      });
    });

    it('shows a bounce on the invitation: status, the reason in words without the address, the history', async () => {
      const { id, to, mailId } = await sentInvitation();
      const report = bounce(to, { 'user-variables': { mailId } });
      await post(signed(await now()), report).expect(200);
      // Mailgun delivers a webhook again when unsure: the same event, freshly signed, records nothing new.
      expect((await post(signed(await now()), report).expect(200)).body).toEqual({ outcome: 'repeated' });
      const mailEvents = await eventsOf(t, `mail-${mailId}`);
      expect(mailEvents.map((e) => e.type)).toEqual(['MailSent', 'MailBounced']);
      expect(mailEvents[1].data).toEqual({
        mailId,
        invitationId: id,
        template: 'invitation',
        transport: 'mailgun',
        providerEventId: report.id,
        reason:
          "The recipient's mail server refused it (550: The email account <the address> that you tried to reach does not exist)",
      });
      expect(JSON.stringify([mailEvents[1].data, mailEvents[1].metadata])).not.toContain(to);
      await settled(t);
      const invitation = (await request(t.server).get(`/api/invitations/${id}`).set(bearer(admin))).body;
      expect(invitation).toMatchObject({ emailStatus: 'failed', emailFailure: mailEvents[1].data.reason });
      const history = (await request(t.server).get(`/api/invitations/${id}/history`).set(bearer(admin))).body.events;
      expect(history.map((e: { type: string }) => e.type)).toEqual(['InvitationIssued', 'MailSent', 'MailBounced']);
      expect(history[2]).toMatchObject({ stream: `mail-${mailId}`, occurredAt: expect.any(String) });
      const failed = await request(t.server)
        .get(`/api/deployments/${deployment}/invitations?emailStatus=failed`)
        .set(bearer(admin))
        .expect(200);
      expect(failed.body.items.map((i: { id: string }) => i.id)).toEqual([id]);
      await request(t.server)
        .get(`/api/deployments/${deployment}/invitations?emailStatus=bounced`)
        .set(bearer(admin))
        .expect(400);
    });

    it('finds the email by message id and recipient when the report carries no mail id', async () => {
      await sentInvitation();
      const { id, to } = await sentInvitation();
      // The fake answers the n-th request with id <n@fake.mailgun>; webhooks name it without brackets.
      const messageId = mailgun.requests.length - 1;
      const report = bounce(to, { message: { headers: { 'message-id': `${messageId}@fake.mailgun` } } });
      expect((await post(signed(await now()), report).expect(200)).body).toEqual({ outcome: 'recorded' });
      await settled(t);
      expect((await request(t.server).get(`/api/invitations/${id}`).set(bearer(admin))).body.emailStatus).toBe(
        'failed',
      );
    });

    it('records complaints, and leaves temporary failures and unknown emails alone', async () => {
      const { id, to, mailId } = await sentInvitation();
      const about = { 'user-variables': { mailId } };
      const temporary = { ...bounce(to, about), severity: 'temporary' };
      expect((await post(signed(await now()), temporary).expect(200)).body).toEqual({ outcome: 'ignored' });
      const stranger = bounce('stranger@example.org', { 'user-variables': { mailId } });
      expect((await post(signed(await now()), stranger).expect(200)).body).toEqual({ outcome: 'unknown_mail' });
      const complaint = { id: 'evt-complaint-1', event: 'complained', recipient: to, ...about };
      expect((await post(signed(await now()), complaint).expect(200)).body).toEqual({ outcome: 'recorded' });
      await settled(t);
      expect((await request(t.server).get(`/api/invitations/${id}`).set(bearer(admin))).body).toMatchObject({
        emailStatus: 'complained',
        emailFailure: 'The recipient reported the email as spam.',
      });
    });

    it("shows a send that failed at Mailgun with Mailgun's answer", async () => {
      mailgun.script.push({ status: 400, body: { message: "'to' parameter is not a valid address" } });
      const id = (await invite(t, admin, deployment, [email()]).expect(201)).body.issued[0].id;
      await advance(t, 0);
      await settled(t);
      const invitation = (await request(t.server).get(`/api/invitations/${id}`).set(bearer(admin))).body;
      expect(invitation.emailStatus).toBe('failed');
      expect(invitation.emailFailure).toBe("Mailgun answered 400: Bad Request: 'to' parameter is not a valid address");
    });

    it('re-sends every failed one in one request, and only those', async () => {
      const bounced = await sentInvitation();
      const fine = await sentInvitation();
      await post(signed(await now()), bounce(bounced.to, { 'user-variables': { mailId: bounced.mailId } })).expect(200);
      await settled(t);
      const res = await request(t.server)
        .post(`/api/deployments/${deployment}/invitations/resend`)
        .set(bearer(admin))
        .send({ which: 'failed' })
        .expect(200);
      expect(res.body).toMatchObject({ skipped: [], hasMore: false });
      expect(res.body.resent.map((i: { id: string }) => i.id)).toEqual([bounced.id]);
      expect(res.body.resent[0]).toMatchObject({ sendCount: 2, emailStatus: 'queued', status: 'pending' });
      await advance(t, 0);
      await settled(t);
      expect(mailgun.delivered().get(bounced.to)).toBe(2);
      expect(mailgun.delivered().get(fine.to)).toBe(1);
      const after = (await request(t.server).get(`/api/invitations/${bounced.id}`).set(bearer(admin))).body;
      expect(after).toMatchObject({ emailStatus: 'sent' });
      expect(after.emailFailure).toBeUndefined();
    });

    it('re-sends every expired one with the window asked for; a bad window sends nothing', async () => {
      const expired = [await sentInvitation('24h'), await sentInvitation('24h')];
      const redeemed = await sentInvitation('24h');
      await request(t.server)
        .post(`/api/public/invitations/${await personalToken(t, redeemed.id)}/accept`)
        .send({ password: 'patient passphrase 1' })
        .expect(201);
      await advance(t, 25 * HOUR);
      await settled(t);
      const refused = await request(t.server)
        .post(`/api/deployments/${deployment}/invitations/resend`)
        .set(bearer(admin))
        .send({ which: 'expired', expiresIn: '3d' })
        .expect(400);
      expect(refused.body.code).toBe('invalid_expiry');
      await request(t.server)
        .post(`/api/deployments/${deployment}/invitations/resend`)
        .set(bearer(admin))
        .send({ which: 'everything' })
        .expect(400);
      for (const { id } of expired)
        expect((await request(t.server).get(`/api/invitations/${id}`).set(bearer(admin))).body.status).toBe('expired');
      const res = await request(t.server)
        .post(`/api/deployments/${deployment}/invitations/resend`)
        .set(bearer(admin))
        .send({ which: 'expired', expiresIn: '48h' })
        .expect(200);
      expect(res.body.resent.map((i: { id: string }) => i.id).sort()).toEqual(expired.map((e) => e.id).sort());
      expect(res.body.resent.every((i: { status: string; expiresIn: string }) => i.status === 'pending')).toBe(true);
      expect(res.body.resent.every((i: { expiresIn: string }) => i.expiresIn === '48h')).toBe(true);
      await advance(t, 0);
      for (const { to } of expired) expect(mailgun.delivered().get(to)).toBe(2);
      expect(mailgun.delivered().get(redeemed.to)).toBe(1);
    });
  });
});
