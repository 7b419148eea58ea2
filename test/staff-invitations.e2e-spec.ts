import request from 'supertest';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, login, settled, TEST_ENV } from './support/identity';
import { advance } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('inviting staff on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: string;
    let ward: string;
    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
      ward = (await request(t.server).post('/api/deployments').set(bearer(admin)).send({ name: 'Ward' })).body.id;
    });
    afterAll(async () => t?.close());

    const invite = (body: Record<string, unknown>, token = admin) =>
      request(t.server).post('/api/staff/invitations').set(bearer(token)).send(body);
    const linkTo = async (to: string) => {
      await advance(t, 0);
      const [mail] = (await request(t.server).get('/api/dev/outbox').query({ to }).expect(200)).body.messages;
      expect(mail).toMatchObject({ template: 'staff-invitation', subject: 'You are invited to the Care Portal' });
      return /\/staff-invite\/(\S+)/.exec(mail.text)![1];
    };
    const accept = (token: string, body: Record<string, unknown>) =>
      request(t.server).post(`/api/public/staff-invitations/${token}/accept`).send(body);

    it('emails a one-time link; its holder sets name and password, with the role the invitation granted', async () => {
      const email = `invited-${store}@example.org`;
      const sent = await invite({ email, name: 'Ina Invited', role: 'DeploymentStaff', deploymentIds: [ward] }).expect(
        201,
      );
      expect(sent.body).toMatchObject({
        email,
        name: 'Ina Invited',
        role: 'DeploymentStaff',
        expiresAt: expect.any(String),
      });
      const token = await linkTo(email);
      const peek = await request(t.server).get(`/api/public/staff-invitations/${token}`).expect(200);
      expect(peek.body).toEqual({
        email,
        name: 'Ina Invited',
        role: 'DeploymentStaff',
        expiresAt: sent.body.expiresAt,
      });
      expect((await accept(token, { password: 'short' }).expect(400)).body.code).toBe('weak_password');
      const created = await accept(token, { name: 'Ina I.', password: 'my own passphrase 1' }).expect(201);
      const me = await request(t.server)
        .get('/api/me')
        .set(bearer(await login(t, email, 'my own passphrase 1')));
      expect(me.body).toMatchObject({ id: created.body.id, roles: ['DeploymentStaff'], deploymentIds: [ward] });
      const member = await request(t.server).get(`/api/staff/${created.body.id}`).set(bearer(admin)).expect(200);
      expect(member.body.name).toBe('Ina I.');
      expect((await accept(token, { password: 'another passphrase 2' }).expect(410)).body.code).toBe(
        'staff_invitation_used',
      );
      await request(t.server).get(`/api/public/staff-invitations/${token}`).expect(410);
    });

    it('grants nothing the inviter does not hold, and refuses an address that has a staff account', async () => {
      await request(t.server)
        .post('/api/staff')
        .set(bearer(admin))
        .send({ email: `ac-${store}@example.org`, password: 'a sturdy passphrase 1', role: 'AccessController' })
        .expect(201);
      const controller = await login(t, `ac-${store}@example.org`, 'a sturdy passphrase 1');
      expect((await invite({ email: `x-${store}@example.org`, role: 'Admin' }, controller).expect(403)).body.code).toBe(
        'cannot_grant_role',
      );
      expect((await invite({ email: ADMIN.email, role: 'OrganisationStaff' }).expect(409)).body.code).toBe(
        'staff_email_taken',
      );
      await invite({ email: `y-${store}@example.org`, role: 'OrganisationStaff', expiresIn: '3d' }).expect(400);
    });

    it('makes one account when the link is used several times at once', async () => {
      const email = `race-${store}@example.org`;
      await invite({ email, role: 'OrganisationStaff' }).expect(201);
      const token = await linkTo(email);
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) => accept(token, { password: `racing passphrase ${i}` })),
      );
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 410).map((a) => a.body.code)).toEqual(
        Array(5).fill('staff_invitation_used'),
      );
      await settled(t);
      const listed = await request(t.server).get(`/api/staff?q=race-${store}`).set(bearer(admin)).expect(200);
      expect(listed.body.items).toHaveLength(1);
    });

    it('expires with its window, and refuses a forged link', async () => {
      const email = `late-${store}@example.org`;
      await invite({ email, role: 'OrganisationStaff', expiresIn: '24h' }).expect(201);
      const token = await linkTo(email);
      await advance(t, 24 * 3600);
      expect((await accept(token, { password: 'my own passphrase 1' }).expect(410)).body.code).toBe(
        'staff_invitation_expired',
      );
      expect(
        (
          await request(t.server)
            .get(`/api/public/staff-invitations/${token.slice(0, -2)}xx`)
            .expect(404)
        ).body.code,
      ).toBe('invalid_staff_invitation');
      await request(t.server).post('/api/auth/login').send({ email, password: 'my own passphrase 1' }).expect(401);
    });
  });
});
