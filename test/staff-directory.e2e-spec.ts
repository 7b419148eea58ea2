import request from 'supertest';
import { describeWithPostgres, postgresUrl, temporaryPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, login, settled, TEST_ENV } from './support/identity';
import { invite } from './support/invitations';
import { startTestApp, type TestApp, withSearchPath } from './support/test-app';

const PASSWORD = 'a sturdy passphrase 1';

async function addStaff(t: TestApp, token: string, body: Record<string, unknown>): Promise<string> {
  const res = await request(t.server)
    .post('/api/staff')
    .set(bearer(token))
    .send({ password: PASSWORD, ...body })
    .expect(201);
  return res.body.id;
}

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('the staff directory on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: string;
    let ward: string;
    let clinic: string;
    let nurse: string;
    let manager: string;

    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
      const deployment = (name: string) =>
        request(t.server).post('/api/deployments').set(bearer(admin)).send({ name }).expect(201);
      ward = (await deployment('Ward')).body.id;
      clinic = (await deployment('Clinic')).body.id;
      await request(t.server)
        .post('/api/roles')
        .set(bearer(admin))
        .send({ name: 'WardManager', permissions: ['manage_patient_data', 'manage_staff'] })
        .expect(201);
      nurse = await addStaff(t, admin, {
        email: 'nurse@example.org',
        name: 'Nora Nurse',
        role: 'DeploymentStaff',
        deploymentIds: [ward],
      });
      await addStaff(t, admin, { email: 'clinic@example.org', role: 'DeploymentStaff', deploymentIds: [clinic] });
      await addStaff(t, admin, { email: 'manager@example.org', role: 'WardManager', deploymentIds: [ward] });
      manager = await login(t, 'manager@example.org', PASSWORD);
      await settled(t);
    });
    afterAll(async () => t?.close());

    it('lists staff by address with their role, scope, name and status; searches and pages', async () => {
      const all = await request(t.server).get('/api/staff?limit=2').set(bearer(admin)).expect(200);
      expect(all.body.items.map((s: { email: string }) => s.email)).toEqual([
        'admin@example.org',
        'clinic@example.org',
      ]);
      const rest = await request(t.server)
        .get(`/api/staff?limit=2&cursor=${all.body.nextCursor}`)
        .set(bearer(admin))
        .expect(200);
      expect(rest.body.items.map((s: { email: string }) => s.email)).toEqual([
        'manager@example.org',
        'nurse@example.org',
      ]);
      expect(rest.body.nextCursor).toBeNull();
      const found = await request(t.server).get('/api/staff?q=nora').set(bearer(admin)).expect(200);
      expect(found.body.items).toEqual([
        {
          id: nurse,
          email: 'nurse@example.org',
          name: 'Nora Nurse',
          roles: [{ name: 'DeploymentStaff', scope: 'deployments', deploymentIds: [ward] }],
          status: 'active',
        },
      ]);
      await request(t.server).get('/api/staff?cursor=forged').set(bearer(admin)).expect(400);
    });

    it('shows a deployment-scoped manager only the staff within its deployments; others are 404', async () => {
      const seen = await request(t.server).get('/api/staff').set(bearer(manager)).expect(200);
      expect(seen.body.items.map((s: { email: string }) => s.email)).toEqual([
        'manager@example.org',
        'nurse@example.org',
      ]);
      const admins = await request(t.server).get('/api/staff?q=admin').set(bearer(admin)).expect(200);
      const res = await request(t.server).get(`/api/staff/${admins.body.items[0].id}`).set(bearer(manager)).expect(404);
      expect(res.body.code).toBe('staff_not_found');
      await request(t.server).get('/api/staff/not-a-uuid').set(bearer(admin)).expect(404);
    });

    it('changes a name and a role within what the manager holds, never beyond', async () => {
      const renamed = await request(t.server)
        .patch(`/api/staff/${nurse}`)
        .set(bearer(manager))
        .send({ name: '  Nora N. ', role: 'Contributor' })
        .expect(200);
      expect(renamed.body).toMatchObject({
        name: 'Nora N.',
        roles: [{ name: 'Contributor', scope: 'deployments', deploymentIds: [ward] }],
      });
      const beyond = await request(t.server)
        .patch(`/api/staff/${nurse}`)
        .set(bearer(manager))
        .send({ role: 'Admin' })
        .expect(403);
      expect(beyond.body.code).toBe('cannot_grant_role');
      const elsewhere = await request(t.server)
        .patch(`/api/staff/${nurse}`)
        .set(bearer(manager))
        .send({ deploymentIds: [clinic] })
        .expect(400);
      expect(elsewhere.body.code).toBe('invalid_deployment_scope');
      const me = (await request(t.server).get('/api/me').set(bearer(manager))).body.id;
      const self = await request(t.server)
        .patch(`/api/staff/${me}`)
        .set(bearer(manager))
        .send({ role: 'Contributor' })
        .expect(403);
      expect(self.body.code).toBe('cannot_manage_self');
      await request(t.server).patch(`/api/staff/${nurse}`).set(bearer(admin)).send({ role: 'Nobody' }).expect(400);
    });

    it('shows who did what by name: in the list, the history and the audit feed', async () => {
      await addStaff(t, admin, { email: 'olga@example.org', name: 'Olga Organiser', role: 'OrganisationStaff' });
      const olga = await login(t, 'olga@example.org', PASSWORD);
      const issued = await invite(t, olga, ward, ['named@example.org']).expect(201);
      const id = issued.body.issued[0].id;
      await settled(t);
      const list = await request(t.server).get(`/api/deployments/${ward}/invitations?q=named`).set(bearer(admin));
      expect(list.body.items[0]).toMatchObject({ issuedBy: expect.any(String), issuedByName: 'Olga Organiser' });
      const one = await request(t.server).get(`/api/invitations/${id}`).set(bearer(admin)).expect(200);
      expect(one.body.issuedByName).toBe('Olga Organiser');
      const history = await request(t.server).get(`/api/invitations/${id}/history`).set(bearer(admin)).expect(200);
      expect(history.body.events[0].actor).toEqual({ type: 'staff', id: one.body.issuedBy, name: 'Olga Organiser' });
      const feed = await request(t.server).get('/api/events?limit=1000').set(bearer(admin)).expect(200);
      const event = feed.body.events.find(
        (e: { type: string; data: { invitationId?: string } }) =>
          e.type === 'InvitationIssued' && e.data.invitationId === id,
      );
      expect(event.actorName).toBe('Olga Organiser');
      // Staff without a name are shown by address; the system by nothing.
      type FeedEvent = { type: string; actorName: string | null; data: { name?: string } };
      const byType = (type: string, name?: string) =>
        (feed.body.events as FeedEvent[]).find((e) => e.type === type && (!name || e.data.name === name))!;
      expect(byType('DeploymentCreated', 'Ward').actorName).toBe('admin@example.org');
      expect(byType('BootstrapCompleted').actorName).toBeNull();
    });

    it('refuses a deactivated member on their next request and at login; reactivation lets them back', async () => {
      const token = await login(t, 'nurse@example.org', PASSWORD);
      await request(t.server).get('/api/me').set(bearer(token)).expect(200);
      const off = await request(t.server).post(`/api/staff/${nurse}/deactivate`).set(bearer(admin)).expect(200);
      expect(off.body.status).toBe('deactivated');
      await request(t.server).get('/api/me').set(bearer(token)).expect(401);
      const refused = await request(t.server)
        .post('/api/auth/login')
        .send({ email: 'nurse@example.org', password: PASSWORD })
        .expect(401);
      expect(refused.body.code).toBe('invalid_credentials');
      await settled(t);
      const listed = await request(t.server).get('/api/staff?q=nurse').set(bearer(admin)).expect(200);
      expect(listed.body.items[0].status).toBe('deactivated');
      await request(t.server).post(`/api/staff/${nurse}/reactivate`).set(bearer(admin)).expect(200);
      await request(t.server).get('/api/me').set(bearer(token)).expect(200);
    });
  });
});

describeWithPostgres('deactivation across two instances', () => {
  it('takes effect on the next request served by the other instance', async () => {
    const pg = await temporaryPostgres();
    const env = { ...TEST_ENV, EVENT_STORE: 'postgres', DATABASE_URL: withSearchPath(postgresUrl, pg.schema) };
    const [a, b]: TestApp[] = await Promise.all([startTestApp(env), startTestApp(env)]);
    try {
      const admin = await login(a, ADMIN.email, ADMIN.password);
      const id = await addStaff(a, admin, { email: 'org@example.org', role: 'OrganisationStaff' });
      const token = await login(b, 'org@example.org', PASSWORD);
      await request(b.server).get('/api/me').set(bearer(token)).expect(200);
      await request(a.server).post(`/api/staff/${id}/deactivate`).set(bearer(admin)).expect(200);
      await request(b.server).get('/api/me').set(bearer(token)).expect(401);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await pg.drop();
    }
  });
});
