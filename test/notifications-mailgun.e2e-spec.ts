import request from 'supertest';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { MailDispatcher } from '@app/notifications';
import { FakeMailgun, mailgunEnv } from './support/fake-mailgun';
import { ADMIN, bearer, firstDeployment, login, settled, TEST_ENV } from './support/identity';
import { advance, eventsOf, invite } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';

const DOMAIN = 'mg.example.org';

describe('the Mailgun transport, against a local Mailgun over real HTTP', () => {
  let mailgun: FakeMailgun;
  let t: TestApp;
  let admin: string;
  let deployment: string;
  const env = (url: string, extra: Record<string, string> = {}) => ({
    ...TEST_ENV,
    ...mailgunEnv(url, { MAILGUN_DOMAIN: DOMAIN, MAIL_MAX_ATTEMPTS: '3', ...extra }),
  });
  const queue = (db: SqlDatabase) =>
    db.query<{
      recipient: string;
      status: string;
      attempts: number | string;
      next_attempt_at: string;
      last_error: string | null;
    }>('SELECT * FROM mail_queue ORDER BY recipient');

  beforeEach(async () => {
    mailgun = new FakeMailgun();
    t = await startTestApp(env(await mailgun.start()));
    admin = await login(t, ADMIN.email, ADMIN.password);
    deployment = await firstDeployment(t, admin);
  });
  afterEach(async () => {
    await t?.close();
    await mailgun.stop();
  });

  it('sends 2,500 invitations as three batch messages with a personal link per recipient', async () => {
    const emails = Array.from({ length: 2500 }, (_, i) => `batch${i}@example.org`);
    await invite(t, admin, deployment, emails).expect(201);
    await advance(t, 0);
    expect(mailgun.requests.map((r) => r.path)).toEqual(Array(3).fill(`/v3/${DOMAIN}/messages`));
    expect(mailgun.requests.map((r) => r.fields.get('to')!.length).sort()).toEqual([1000, 1000, 500]);
    const first = mailgun.requests[0];
    expect(first.authorization).toBe(`Basic ${Buffer.from('api:key-test-123').toString('base64')}`);
    expect(first.fields.get('from')).toEqual(['Care team <care@example.org>']);
    expect(first.fields.get('text')![0]).toContain('\n%recipient.link%\n');
    expect(first.fields.get('html')![0]).toContain('href="%recipient.link%"');
    const variables = JSON.parse(first.fields.get('recipient-variables')![0]);
    const someone = first.fields.get('to')![0];
    expect(variables[someone].link).toMatch(/^http:\/\/localhost:3000\/invite\/[A-Za-z0-9_.-]+$/);
    await request(t.server)
      .get(`/api/public/invitations/${variables[someone].link.split('/').pop()}`)
      .expect(200);
    expect([...mailgun.delivered().values()].every((n) => n === 1)).toBe(true);
    expect(mailgun.delivered().size).toBe(2500);
    await settled(t);
    const list = await request(t.server)
      .get(`/api/deployments/${deployment}/invitations?limit=500`)
      .set(bearer(admin))
      .expect(200);
    expect(list.body.items.every((i: { emailStatus: string }) => i.emailStatus === 'sent')).toBe(true);
  });

  it('honours Retry-After on 429 and sends once the time has come', async () => {
    mailgun.script.push({ status: 429, headers: { 'Retry-After': '120' } });
    await invite(t, admin, deployment, ['limited@example.org']).expect(201);
    await advance(t, 0);
    const db = t.app.get<SqlDatabase>(SQL_DATABASE);
    const [row] = await queue(db);
    expect(row).toMatchObject({ status: 'queued', last_error: expect.stringContaining('429') });
    expect(Number(row.attempts)).toBe(1);
    const now = (await advance(t, 0)) as string;
    expect(Date.parse(row.next_attempt_at) - Date.parse(now)).toBeGreaterThanOrEqual(119_000);
    await advance(t, 60);
    expect(mailgun.requests).toHaveLength(1);
    await advance(t, 61);
    expect(mailgun.requests).toHaveLength(2);
    expect((await queue(db))[0].status).toBe('sent');
  });

  it('retries 5xx with backoff, then records the failure instead of blocking the queue', async () => {
    mailgun.script.push({ status: 503 }, { status: 502 }, { status: 500 });
    const id = (await invite(t, admin, deployment, ['unlucky@example.org']).expect(201)).body.issued[0].id;
    await advance(t, 0);
    await advance(t, 2);
    await advance(t, 5);
    expect(mailgun.requests).toHaveLength(3);
    const db = t.app.get<SqlDatabase>(SQL_DATABASE);
    expect((await queue(db))[0]).toMatchObject({
      status: 'failed',
      last_error: expect.stringContaining('gave up after 3 attempts'),
    });
    expect((await request(t.server).get(`/api/invitations/${id}`).set(bearer(admin))).body.emailStatus).toBe('failed');
    await invite(t, admin, deployment, ['next@example.org']).expect(201);
    await advance(t, 0);
    expect(mailgun.requests).toHaveLength(4);
    expect(mailgun.requests[3].fields.get('to')).toEqual(['next@example.org']);
    const resent = await request(t.server)
      .post(`/api/invitations/${id}/resend`)
      .set(bearer(admin))
      .send({})
      .expect(200);
    await advance(t, 0);
    expect((await request(t.server).get(`/api/invitations/${id}`).set(bearer(admin))).body).toMatchObject({
      emailStatus: 'sent',
      sendCount: resent.body.sendCount,
    });
  });

  it('retries a dropped connection and a timeout with backoff, recording the real reason', async () => {
    await t.close();
    t = await startTestApp(env(mailgun.url, { MAILGUN_TIMEOUT_MS: '300' }));
    admin = await login(t, ADMIN.email, ADMIN.password);
    deployment = await firstDeployment(t, admin);
    mailgun.script.push({ status: 0, fault: 'reset' }, { status: 0, fault: 'hang' });
    await invite(t, admin, deployment, ['flaky@example.org']).expect(201);
    const db = t.app.get<SqlDatabase>(SQL_DATABASE);
    await advance(t, 0);
    expect((await queue(db))[0]).toMatchObject({
      status: 'queued',
      last_error: expect.stringMatching(/^No answer from Mailgun: .*(ECONNRESET|socket hang up)/),
    });
    await advance(t, 2);
    expect((await queue(db))[0]).toMatchObject({
      status: 'queued',
      last_error: expect.stringMatching(/^No answer from Mailgun: .*timeout/i),
    });
    await advance(t, 5);
    expect(mailgun.requests).toHaveLength(3);
    expect((await queue(db))[0]).toMatchObject({ status: 'sent' });
  });

  it('retries a refused connection instead of recording it as refused by Mailgun', async () => {
    await t.close();
    const closed = new FakeMailgun();
    const url = await closed.start();
    await closed.stop();
    t = await startTestApp(env(url));
    admin = await login(t, ADMIN.email, ADMIN.password);
    deployment = await firstDeployment(t, admin);
    await invite(t, admin, deployment, ['unreachable@example.org']).expect(201);
    await advance(t, 0);
    const [row] = await queue(t.app.get<SqlDatabase>(SQL_DATABASE));
    expect(row).toMatchObject({ status: 'queued', last_error: expect.stringContaining('ECONNREFUSED') });
    expect(row.last_error).not.toContain('400');
  });

  it('does not retry what Mailgun refuses (400)', async () => {
    mailgun.script.push({ status: 400, body: { message: "'to' parameter is not a valid address" } });
    await invite(t, admin, deployment, ['refused@example.org']).expect(201);
    await advance(t, 0);
    await advance(t, 3600);
    expect(mailgun.requests).toHaveLength(1);
    expect((await queue(t.app.get<SqlDatabase>(SQL_DATABASE)))[0]).toMatchObject({
      status: 'failed',
      last_error: expect.stringContaining('400'),
    });
  });
});

describe('stopping the mail sender mid-send', () => {
  it('ends, after a restart, with every email sent exactly once', async () => {
    const mailgun = new FakeMailgun();
    const url = await mailgun.start();
    mailgun.delayMs = 50;
    const env = {
      ...TEST_ENV,
      MAIL_TRANSPORT: 'mailgun',
      MAILGUN_API_KEY: 'key',
      MAILGUN_DOMAIN: DOMAIN,
      MAILGUN_URL: url,
    };
    const first = await startTestApp(env);
    try {
      const dispatcher = first.app.get(MailDispatcher);
      await dispatcher.stop();
      const admin = await login(first, ADMIN.email, ADMIN.password);
      const deployment = await firstDeployment(first, admin);
      for (let i = 0; i < 5; i++) {
        await invite(
          first,
          admin,
          deployment,
          Array.from({ length: 1000 }, (_, n) => `r${i}-${n}@example.org`),
        ).expect(201);
      }
      await settled(first);
      dispatcher.start();
      while (mailgun.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    } finally {
      await first.app.close(); // graceful: the batch in hand finishes, the rest stays queued
    }
    const sentBefore = mailgun.requests.length;
    expect(sentBefore).toBeGreaterThan(0);
    expect(sentBefore).toBeLessThan(5);
    const second = await startTestApp({ ...env, DATA_DIR: first.config.dataDir });
    try {
      await second.app.get(MailDispatcher).drain();
      const delivered = mailgun.delivered();
      expect(delivered.size).toBe(5000);
      expect([...delivered.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await second.close();
      await mailgun.stop();
    }
  });

  it('records, and never re-sends, an email a crash left in the middle of sending', async () => {
    const mailgun = new FakeMailgun();
    const env = {
      ...TEST_ENV,
      MAIL_TRANSPORT: 'mailgun',
      MAILGUN_API_KEY: 'key',
      MAILGUN_DOMAIN: DOMAIN,
      MAILGUN_URL: await mailgun.start(),
    };
    const first = await startTestApp(env);
    await first.app.get(MailDispatcher).stop();
    const admin = await login(first, ADMIN.email, ADMIN.password);
    const deployment = await firstDeployment(first, admin);
    const id = (await invite(first, admin, deployment, ['crash@example.org']).expect(201)).body.issued[0].id;
    await settled(first);
    // As if the process died after claiming the row, before knowing whether Mailgun took it.
    await first.app.get<SqlDatabase>(SQL_DATABASE).execute(`UPDATE mail_queue SET status = 'sending'`);
    await first.app.close();
    const second = await startTestApp({ ...env, DATA_DIR: first.config.dataDir });
    try {
      await second.app.get(MailDispatcher).drain();
      await settled(second);
      expect(mailgun.requests).toHaveLength(0);
      const issued = (await eventsOf(second, `invitation-${id}`))[0];
      const outcome = await eventsOf(second, `mail-${issued.id}`);
      expect(outcome.map((e) => [e.type, e.data.reason])).toEqual([
        ['MailFailed', expect.stringContaining('interrupted')],
      ]);
      expect(
        (
          await request(second.server)
            .get(`/api/invitations/${id}`)
            .set(bearer(await login(second, ADMIN.email, ADMIN.password)))
        ).body.emailStatus,
      ).toBe('failed');
    } finally {
      await second.close();
      await mailgun.stop();
    }
  });
});
