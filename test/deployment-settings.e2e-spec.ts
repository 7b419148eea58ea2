import request from 'supertest';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { FakeMailgun, mailgunEnv } from './support/fake-mailgun';
import { ADMIN, bearer, createStaff, firstDeployment, login, newDeployment, TEST_ENV } from './support/identity';
import { advance, eventsOf, invite } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';

let n = 0;
const email = () => `settings-${++n}-${Date.now()}@example.org`;

const DEFAULTS = {
  language: 'en',
  timeZone: 'UTC',
  senderName: null,
  replyTo: null,
  defaultExpiresIn: '7d',
  remindPersonalInvitations: true,
  emailIntro: null,
  emailSignOff: null,
  personalDataRetentionDays: null,
};

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('deployment settings on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: string;
    let deployment: string;
    const settingsPath = () => `/api/deployments/${deployment}/settings`;
    beforeEach(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
      deployment = await firstDeployment(t, admin);
    });
    afterEach(async () => t?.close());

    async function outbox(to: string) {
      await advance(t, 0);
      return (await request(t.server).get('/api/dev/outbox').query({ to })).body.messages;
    }

    it('start at the defaults and change as one event on the deployment stream, only what differs', async () => {
      expect((await request(t.server).get(settingsPath()).set(bearer(admin)).expect(200)).body).toEqual(DEFAULTS);
      const changed = await request(t.server)
        .patch(settingsPath())
        .set(bearer(admin))
        .send({ language: 'de', timeZone: 'Europe/Berlin', defaultExpiresIn: '7d' })
        .expect(200);
      expect(changed.body).toEqual({ ...DEFAULTS, language: 'de', timeZone: 'Europe/Berlin' });
      expect((await request(t.server).get(settingsPath()).set(bearer(admin)).expect(200)).body).toEqual(changed.body);
      await request(t.server).patch(settingsPath()).set(bearer(admin)).send({ language: 'de' }).expect(200);
      const events = (await eventsOf(t, `deployment-${deployment}`)).filter(
        (e) => e.type === 'DeploymentSettingsChanged',
      );
      expect(events).toHaveLength(1);
      expect(events[0].data).toEqual({
        deploymentId: deployment,
        changes: { language: 'de', timeZone: 'Europe/Berlin' },
      });
      expect(events[0].metadata).toMatchObject({ deploymentId: deployment, actor: { type: 'staff' } });
    });

    it.each([
      ['language', { language: 'it' }],
      ['timeZone', { timeZone: 'Nowhere/Special' }],
      ['replyTo', { replyTo: 'nobody' }],
      ['defaultExpiresIn', { defaultExpiresIn: '2w' }],
      ['emailIntro', { emailIntro: 'x'.repeat(501) }],
      ['senderName', { senderName: 'Ward\nBcc: x@example.org' }],
      ['remindPersonalInvitations', { remindPersonalInvitations: 'yes' }],
      ['personalDataRetentionDays', { personalDataRetentionDays: 0 }],
      ['personalDataRetentionDays', { personalDataRetentionDays: 1.5 }],
      ['personalDataRetentionDays', { personalDataRetentionDays: 3651 }],
      ['personalDataRetentionDays', { personalDataRetentionDays: '30' }],
      ['colour', { colour: 'blue' }],
    ])('refuse a bad %s with a problem naming it, changing nothing', async (field, body) => {
      const res = await request(t.server).patch(settingsPath()).set(bearer(admin)).send(body).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toMatch(/^(invalid_settings|validation_failed)$/);
      expect(JSON.stringify(res.body.errors)).toContain(field);
      expect((await request(t.server).get(settingsPath()).set(bearer(admin))).body).toEqual(DEFAULTS);
    });

    it('are changed only by manage_deployment holders, and read only where the caller acts', async () => {
      const other = await newDeployment(t, admin, 'Elsewhere');
      const controller = await createStaff(t, admin, { email: email(), role: 'AccessController' });
      const ward = await createStaff(t, admin, { email: email(), role: 'DeploymentStaff', deploymentIds: [other] });
      await request(t.server).patch(settingsPath()).set(bearer(controller)).send({ language: 'fr' }).expect(403);
      await request(t.server).get(settingsPath()).set(bearer(controller)).expect(200);
      await request(t.server).get(settingsPath()).set(bearer(ward)).expect(404);
      await request(t.server).get(`/api/deployments/${other}/settings`).set(bearer(ward)).expect(200);
      await request(t.server).get('/api/deployments/nope/settings').set(bearer(admin)).expect(404);
      await request(t.server).get(settingsPath()).expect(401);
    });

    it('show up in the next email: language, time zone, sender, reply-to, intro and sign-off', async () => {
      const before = email();
      await invite(t, admin, deployment, [before]).expect(201);
      expect((await outbox(before))[0]).toMatchObject({ subject: 'Default deployment invites you to the patient app' });
      await request(t.server)
        .patch(settingsPath())
        .set(bearer(admin))
        .send({
          language: 'de',
          timeZone: 'Europe/Berlin',
          senderName: 'Station 7',
          replyTo: 'station7@example.org',
          emailIntro: 'Liebe Patientin, lieber Patient,\n<b>willkommen</b>.',
          emailSignOff: 'Ihr Team der Station 7',
        })
        .expect(200);
      const after = email();
      const issued = (await invite(t, admin, deployment, [after]).expect(201)).body.issued[0];
      const [mail] = await outbox(after);
      expect(mail.subject).toBe('Default deployment lädt Sie zur Patienten-App ein');
      expect(mail.from).toBe('"Station 7" <no-reply@localhost>');
      expect(mail.replyTo).toBe('station7@example.org');
      expect(mail.text).toMatch(/^Guten Tag,\n\nLiebe Patientin, lieber Patient,\n<b>willkommen<\/b>\.\n/);
      expect(mail.text.trimEnd()).toMatch(/Ihr Team der Station 7$/);
      expect(mail.html).toContain('<html lang="de">');
      expect(mail.html).toContain('&lt;b&gt;willkommen&lt;/b&gt;');
      const local = new Intl.DateTimeFormat('de', {
        dateStyle: 'long',
        timeStyle: 'short',
        timeZone: 'Europe/Berlin',
      }).format(new Date(issued.expiresAt));
      expect(mail.text).toContain(`gültig bis ${local} MEZ.`);
      // The email sent before the change still reads as it was sent.
      expect((await outbox(before))[0].subject).toBe('Default deployment invites you to the patient app');
    });

    it('give invitations and links their default expiry when staff choose none', async () => {
      await request(t.server).patch(settingsPath()).set(bearer(admin)).send({ defaultExpiresIn: '48h' }).expect(200);
      const issued = (
        await request(t.server)
          .post(`/api/deployments/${deployment}/invitations`)
          .set(bearer(admin))
          .send({ emails: [email()] })
          .expect(201)
      ).body.issued[0];
      expect(issued.expiresIn).toBe('48h');
      const link = (
        await request(t.server)
          .post(`/api/deployments/${deployment}/invitation-links`)
          .set(bearer(admin))
          .send({})
          .expect(201)
      ).body;
      expect(Date.parse(link.expiresAt) - Date.now()).toBeLessThanOrEqual(48 * 3600 * 1000 + 60_000);
      const chosen = (await invite(t, admin, deployment, [email()], '1y').expect(201)).body.issued[0];
      expect(chosen.expiresIn).toBe('1y');
      await invite(t, admin, deployment, [email()], null).expect(400);
    });
  });
});

describe('deployment settings through Mailgun', () => {
  it('set the From name and the Reply-To header of the batch', async () => {
    const mailgun = new FakeMailgun();
    const t = await startTestApp({ ...TEST_ENV, ...mailgunEnv(await mailgun.start()) });
    try {
      const admin = await login(t, ADMIN.email, ADMIN.password);
      const deployment = await firstDeployment(t, admin);
      await request(t.server)
        .patch(`/api/deployments/${deployment}/settings`)
        .set(bearer(admin))
        .send({ senderName: 'Équipe "Cardio"', replyTo: 'cardio@example.org', language: 'fr' })
        .expect(200);
      await invite(t, admin, deployment, [email()]).expect(201);
      await advance(t, 0);
      const [sent] = mailgun.requests;
      expect(sent.fields.get('from')).toEqual(['"Équipe \\"Cardio\\"" <care@example.org>']);
      expect(sent.fields.get('h:Reply-To')).toEqual(['cardio@example.org']);
      expect(sent.fields.get('subject')).toEqual(["Default deployment vous invite à l'application patient"]);
    } finally {
      await t.close();
      await mailgun.stop();
    }
  });
});
