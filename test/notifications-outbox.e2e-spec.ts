import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, login, TEST_ENV } from './support/identity';
import { advance, eventsOf, invite, tokenOfUrl } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';

interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  template: string;
  sentAt: string;
}

const HOSTILE = '<script>alert(1)</script>';

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('emails through the outbox on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: string;
    let deployment: string;
    const email = () => `m-${randomUUID().slice(0, 8)}@example.org`;
    const outbox = async (to: string): Promise<OutboxMessage[]> => {
      await advance(t, 0);
      return (await request(t.server).get('/api/dev/outbox').query({ to }).expect(200)).body.messages;
    };
    /** The personal link: an href in the HTML part, alone on a line in the text part, the same in both. */
    const linkOf = (m: OutboxMessage, path: 'invite' | 'join' = 'invite') => {
      const inText = m.text.split('\n').filter((line) => line.startsWith(`http://localhost:3000/${path}/`));
      expect(inText).toHaveLength(1);
      expect(m.html).toContain(`href="${inText[0]}"`);
      return inText[0];
    };

    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
      deployment = (
        await request(t.server).post('/api/deployments').set(bearer(admin)).send({ name: HOSTILE }).expect(201)
      ).body.id;
    });
    afterAll(async () => t?.close());

    it('pages the outbox by cursor, newest first, past a thousand messages', async () => {
      const addresses = Array.from({ length: 1050 }, (_, i) => `page-${i}-${store}@paging.example.org`);
      await invite(t, admin, deployment, addresses).expect(201);
      await advance(t, 0);
      const seen: string[] = [];
      let cursor: string | null = null;
      const sizes: number[] = [];
      do {
        const page: { body: { messages: { id: string; to: string }[]; nextCursor: string | null } } = await request(
          t.server,
        )
          .get('/api/dev/outbox')
          .query(cursor ? { cursor } : {})
          .expect(200);
        sizes.push(page.body.messages.length);
        seen.push(...page.body.messages.map((m) => m.to));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(sizes[0]).toBe(1000);
      expect(new Set(seen).size).toBe(seen.length);
      expect(addresses.every((a) => seen.includes(a))).toBe(true);
      const small = await request(t.server).get('/api/dev/outbox').query({ limit: 2 }).expect(200);
      expect(small.body.messages).toHaveLength(2);
      const next = await request(t.server).get('/api/dev/outbox').query({ limit: 2, cursor: small.body.nextCursor });
      expect(next.body.messages.map((m: { to: string }) => m.to)).toEqual(seen.slice(2, 4));
      await request(t.server).get('/api/dev/outbox').query({ cursor: 'nope' }).expect(400);
    });

    it('sends the invitation with both steps and a working personal link, escaping the deployment name', async () => {
      const to = email();
      const issued = (await invite(t, admin, deployment, [to]).expect(201)).body.issued[0];
      const [message] = await outbox(to);
      expect(message).toMatchObject({
        to,
        template: 'invitation',
        subject: `${HOSTILE} invites you to the patient app`,
      });
      expect(message.html).not.toContain('<script>');
      expect(message.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(message.html).toContain('href="http://localhost:3000/download"');
      expect(message.text).toMatch(/Step 1\. Download the patient app:\nhttp:\/\/localhost:3000\/download\n/);
      expect(message.text).toContain(HOSTILE);
      const link = linkOf(message);
      const peek = await request(t.server)
        .get(`/api/public/invitations/${tokenOfUrl(link)}`)
        .expect(200);
      expect(peek.body.email).toBe(to);
      expect(message.text).toContain(
        new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(issued.expiresAt)),
      );
      const row = (await request(t.server).get(`/api/invitations/${issued.id}`).set(bearer(admin)).expect(200)).body;
      expect(row).toMatchObject({ emailStatus: 'sent', sendCount: 1, lastSentAt: message.sentAt });
      expect(
        (await eventsOf(t, `mail-${(await eventsOf(t, `invitation-${issued.id}`))[0].id}`)).map((e) => e.type),
      ).toEqual(['MailSent']);
    });

    it('sends a resend with the new link, and nothing for skipped addresses', async () => {
      const to = email();
      const issued = (await invite(t, admin, deployment, [to]).expect(201)).body.issued[0];
      await outbox(to);
      await invite(t, admin, deployment, [to]).expect(201);
      await request(t.server).post(`/api/invitations/${issued.id}/resend`).set(bearer(admin)).send({}).expect(200);
      const messages = await outbox(to);
      expect(messages.map((m) => m.template)).toEqual(['resend', 'invitation']);
      await request(t.server)
        .get(`/api/public/invitations/${tokenOfUrl(linkOf(messages[0]))}`)
        .expect(200);
      expect(
        (await request(t.server).get(`/api/public/invitations/${tokenOfUrl(linkOf(messages[1]))}`)).body.code,
      ).toBe('invitation_superseded');
    });

    it('sends link verification, the link again on a second sign-up, account notices, reminders', async () => {
      const link = (
        await request(t.server)
          .post(`/api/deployments/${deployment}/invitation-links`)
          .set(bearer(admin))
          .send({ expiresIn: '7d' })
          .expect(201)
      ).body;
      const [fresh, registered] = [email(), email()];
      const regId = (await invite(t, admin, deployment, [registered]).expect(201)).body.issued[0].id;
      const regMail = (await outbox(registered))[0];
      await request(t.server)
        .post(`/api/public/invitations/${tokenOfUrl(linkOf(regMail))}/accept`)
        .send({ password: 'patient passphrase 1' })
        .expect(201);
      const signUp = (to: string) =>
        request(t.server)
          .post(`/api/public/invitation-links/${tokenOfUrl(link.url)}/sign-up`)
          .send({ email: to })
          .expect(202);
      for (const to of [fresh, fresh, registered, registered]) await signUp(to);
      // A second sign-up within ten minutes gets the same answer and no second email.
      expect((await outbox(fresh)).map((m) => m.template)).toEqual(['link-verification']);
      expect(await outbox(registered)).toHaveLength(2);
      await advance(t, 600);
      await signUp(fresh);
      const mails = await outbox(fresh);
      expect(mails.map((m) => m.template)).toEqual(['link-verification', 'link-verification']);
      expect(linkOf(mails[0])).toBe(linkOf(mails[1]));
      const notice = (await outbox(registered))[0];
      expect((await outbox(registered)).map((m) => m.template)).toEqual(['already-registered', 'invitation']);
      expect(notice).toMatchObject({
        template: 'already-registered',
        subject: 'You already have a patient app account',
      });
      expect(notice.text).not.toMatch(/\/invite\//);
      expect(notice.html).not.toContain('<script>');
      expect(regId).toBeDefined();
      await advance(t, 6 * 24 * 3600 + 60);
      const reminder = (await outbox(fresh))[0];
      expect(reminder.template).toBe('reminder');
      expect(linkOf(reminder)).toBe(linkOf(mails[0]));
      await advance(t, 3600);
      expect((await outbox(fresh)).filter((m) => m.template === 'reminder')).toHaveLength(1);
    });
  });
});

describe('the outbox endpoint with Mailgun configured', () => {
  let t: TestApp;
  beforeAll(
    async () =>
      (t = await startTestApp({
        ...TEST_ENV,
        MAIL_TRANSPORT: 'mailgun',
        MAILGUN_API_KEY: 'key-test',
        MAILGUN_DOMAIN: 'mg.example.org',
        MAILGUN_URL: 'http://127.0.0.1:9',
      })),
  );
  afterAll(async () => t?.close());

  it('does not exist', async () => {
    await request(t.server).get('/api/dev/outbox').expect(404);
  });
});
