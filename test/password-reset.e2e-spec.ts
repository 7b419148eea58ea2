import request from 'supertest';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, firstDeployment, login, TEST_ENV } from './support/identity';
import { advance, invite, personalToken } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';

interface OutboxMessage {
  template: string;
  subject: string;
  text: string;
}

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('resetting a password by email on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp(TEST_ENV, store)));
    afterAll(async () => t?.close());

    const ask = (email: unknown) => request(t.server).post('/api/public/password-reset').send({ email }).expect(202);
    const outbox = async (to: string): Promise<OutboxMessage[]> => {
      await advance(t, 0);
      return (await request(t.server).get('/api/dev/outbox').query({ to }).expect(200)).body.messages;
    };
    const tokenIn = (mail: OutboxMessage) => /\/reset-password\/(\S+)/.exec(mail.text)![1];
    const reset = (token: string, password: string) =>
      request(t.server).post(`/api/public/password-reset/${token}`).send({ password });

    it('emails a one-time link to staff; the new password works, the old one and every session end', async () => {
      const email = `reset-${store}@example.org`;
      const admin = await login(t, ADMIN.email, ADMIN.password);
      await request(t.server)
        .post('/api/staff')
        .set(bearer(admin))
        .send({ email, password: 'a sturdy passphrase 1', role: 'OrganisationStaff' })
        .expect(201);
      const before = await login(t, email, 'a sturdy passphrase 1');
      expect((await ask(email)).body).toEqual({});
      const [mail] = await outbox(email);
      expect(mail).toMatchObject({ template: 'password-reset', subject: 'Reset your password' });
      const token = tokenIn(mail);
      expect((await reset(token, 'short')).body.code).toBe('weak_password');
      await reset(token, 'a fresh passphrase 9').expect(204);
      await request(t.server).get('/api/me').set(bearer(before)).expect(401);
      await request(t.server).post('/api/auth/login').send({ email, password: 'a sturdy passphrase 1' }).expect(401);
      await login(t, email, 'a fresh passphrase 9');
      expect((await reset(token, 'yet another passphrase 3').expect(404)).body.code).toBe('invalid_reset_link');
    });

    it('answers alike for an address without an account, and sends it nothing', async () => {
      await ask(`nobody-${store}@example.org`);
      await ask('not an address');
      expect(await outbox(`nobody-${store}@example.org`)).toEqual([]);
    });

    it('sends one email per address in ten minutes; the newest link is the one that works, for an hour', async () => {
      const email = `patient-reset-${store}@example.org`;
      const admin = await login(t, ADMIN.email, ADMIN.password);
      const deployment = await firstDeployment(t, admin);
      const id = (await invite(t, admin, deployment, [email]).expect(201)).body.issued[0].id;
      await request(t.server)
        .post(`/api/public/invitations/${await personalToken(t, id)}/accept`)
        .send({ password: 'patient passphrase 1' })
        .expect(201);
      await ask(email);
      await ask(email);
      const first = (await outbox(email)).filter((m) => m.template === 'password-reset');
      expect(first).toHaveLength(1);
      await advance(t, 600);
      await ask(email);
      const both = (await outbox(email)).filter((m) => m.template === 'password-reset');
      expect(both).toHaveLength(2);
      const [newest, older] = both;
      expect((await reset(tokenIn(older), 'a patient passphrase 5').expect(404)).body.code).toBe('invalid_reset_link');
      await advance(t, 3600);
      expect((await reset(tokenIn(newest), 'a patient passphrase 5').expect(410)).body.code).toBe('reset_link_expired');
      await login(t, email, 'patient passphrase 1');
    });

    it('lets one of two uses of one link at once set the password', async () => {
      const email = `race-${store}@example.org`;
      const admin = await login(t, ADMIN.email, ADMIN.password);
      await request(t.server)
        .post('/api/staff')
        .set(bearer(admin))
        .send({ email, password: 'a sturdy passphrase 1', role: 'OrganisationStaff' })
        .expect(201);
      await ask(email);
      const token = tokenIn((await outbox(email))[0]);
      const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => reset(token, `a racing passphrase ${i}`)));
      expect(answers.map((a) => a.status).sort()).toEqual([204, 404, 404, 404, 404]);
    });
  });
});
