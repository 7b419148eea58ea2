import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { ProcessorRunner } from '@app/event-processing';
import { verifyChain } from '@app/integrity';
import { MailDispatcher } from '@app/notifications';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, createStaff, login, newDeployment, settled, TEST_ENV } from './support/identity';
import { invite, personalToken } from './support/invitations';
import { around, everythingStored } from './support/stored-text';
import { startTestApp, type TestApp } from './support/test-app';

const ERASED_ADDRESS = 'erase.me@example.org';

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('erasing a patient on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let db: SqlDatabase;
    let admin: string;
    let wards: string[];
    let invited: string[];

    async function quiet(): Promise<void> {
      await settled(t);
      await t.app.get(MailDispatcher).drain();
      await settled(t);
    }

    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      db = t.app.get<SqlDatabase>(SQL_DATABASE);
      admin = await login(t, ADMIN.email, ADMIN.password);
      wards = [await newDeployment(t, admin, 'Erasure ward A'), await newDeployment(t, admin, 'Erasure ward B')];
      invited = [];
      for (const ward of wards) {
        const res = await request(t.server)
          .post(`/api/deployments/${ward}/invitations`)
          .set(bearer(admin))
          .set('Idempotency-Key', `erasure-${ward}`)
          .send({ emails: [ERASED_ADDRESS, `kept-${wards.indexOf(ward)}@example.org`], expiresIn: '7d' })
          .expect(201);
        invited.push(res.body.issued.find((i: { email: string }) => i.email === ERASED_ADDRESS).id);
      }
      await quiet();
    });
    afterAll(async () => t?.close());

    it('is for holders of erase_personal_data only', async () => {
      const staff = await createStaff(t, admin, { email: 'no-erasing@example.org', role: 'OrganisationStaff' });
      const refused = await request(t.server)
        .post('/api/patients/erasure')
        .set(bearer(staff))
        .send({ email: ERASED_ADDRESS })
        .expect(403);
      expect(refused.body.code).toBe('forbidden');
      await request(t.server).post('/api/patients/erasure').send({ email: ERASED_ADDRESS }).expect(401);
      // A custom role is deployment-scoped: it may hold the permission, but a person is not one deployment's.
      await request(t.server)
        .post('/api/roles')
        .set(bearer(admin))
        .send({ name: 'WardEraser', permissions: ['erase_personal_data'] })
        .expect(201);
      const scoped = await createStaff(t, admin, {
        email: 'ward-eraser@example.org',
        role: 'WardEraser',
        deploymentIds: [wards[0]],
      });
      const narrow = await request(t.server)
        .post('/api/patients/erasure')
        .set(bearer(scoped))
        .send({ email: ERASED_ADDRESS })
        .expect(403);
      expect(narrow.body.code).toBe('erasure_needs_organisation_role');
      const bad = await request(t.server).post('/api/patients/erasure').set(bearer(admin)).send({ email: 'nope' });
      expect(bad.body).toMatchObject({ status: 400, code: 'invalid_email' });
    });

    it('leaves nothing of the person anywhere, keeps the log whole, and lets the address be invited anew', async () => {
      expect(around(await everythingStored(t, store), ERASED_ADDRESS)).not.toBeNull();
      const res = await request(t.server)
        .post('/api/patients/erasure')
        .set(bearer(admin))
        .send({ email: ' Erase.Me@Example.org ' })
        .expect(200);
      expect(res.body).toEqual({
        subject: expect.stringMatching(/^[0-9a-f]{64}$/),
        invitationsRevoked: 2,
        accountErased: false,
        erasedAt: expect.any(String),
      });
      await quiet();

      // Read models, history, feed and export show the person as erased.
      for (const id of invited) {
        const got = await request(t.server).get(`/api/invitations/${id}`).set(bearer(admin)).expect(200);
        expect(got.body).toMatchObject({ email: '[erased]', status: 'revoked' });
        const history = await request(t.server).get(`/api/invitations/${id}/history`).set(bearer(admin)).expect(200);
        expect(JSON.stringify(history.body)).toContain('[erased]');
      }
      const exported = await request(t.server).get('/api/events/export').set(bearer(admin)).expect(200);
      expect(exported.text).not.toContain(ERASED_ADDRESS);
      expect(exported.text).toContain('kept-0@example.org');
      const erasure = exported.text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
        .find((e) => e.type === 'PersonalDataErased');
      expect(erasure).toMatchObject({
        streamId: `personalData-${res.body.subject}`,
        data: { subject: res.body.subject, invitationsRevoked: 2 },
        metadata: { actor: { type: 'staff' } },
      });

      // Not a byte of it is left in the database.
      const stored = await everythingStored(t, store);
      expect(around(stored, ERASED_ADDRESS)).toBeNull();
      expect(around(stored, 'kept-1@example.org')).not.toBeNull();

      // The chain still verifies; a rebuild reads the erased events.
      const events = t.app.get<EventStore>(EVENT_STORE);
      expect((await verifyChain(events, db)).broken).toBeNull();
      await t.app.get(ProcessorRunner).rebuild('invitation-lists');
      const listed = await request(t.server)
        .get(`/api/deployments/${wards[0]}/invitations?status=revoked`)
        .set(bearer(admin))
        .expect(200);
      expect(listed.body.items.map((i: { email: string }) => i.email)).toEqual(['[erased]']);

      // Invited again: a new person, whose address reads again.
      const again = await invite(t, admin, wards[0], [ERASED_ADDRESS]).expect(201);
      expect(again.body.issued).toEqual([expect.objectContaining({ email: ERASED_ADDRESS })]);
      await settled(t);
      const fresh = await request(t.server).get(`/api/invitations/${again.body.issued[0].id}`).set(bearer(admin));
      expect(fresh.body).toMatchObject({ email: ERASED_ADDRESS, status: 'pending' });
    });

    it('closes a patient’s account for good, and the address can register again as a new person', async () => {
      const address = 'has.account@example.org';
      const { body } = await invite(t, admin, wards[1], [address]).expect(201);
      const accepted = await request(t.server)
        .post(`/api/public/invitations/${await personalToken(t, body.issued[0].id)}/accept`)
        .send({ password: 'patient passphrase 1', displayName: 'Account Holder' })
        .expect(201);
      const patient = accepted.body;
      await request(t.server).get('/api/me').set(bearer(patient.accessToken)).expect(200);
      await quiet();

      const res = await request(t.server)
        .post('/api/patients/erasure')
        .set(bearer(admin))
        .send({ email: address })
        .expect(200);
      expect(res.body).toMatchObject({ accountErased: true, invitationsRevoked: 0 });
      await quiet();

      // Closed: the token in hand is refused, the password no longer signs in.
      await request(t.server).get('/api/me').set(bearer(patient.accessToken)).expect(401);
      await request(t.server)
        .post('/api/auth/login')
        .send({ email: address, password: 'patient passphrase 1' })
        .expect(401);
      const history = await request(t.server)
        .get(`/api/invitations/${body.issued[0].id}/history`)
        .set(bearer(admin))
        .expect(200);
      expect(JSON.stringify(history.body)).not.toContain(address);
      const stored = await everythingStored(t, store);
      expect(around(stored, address)).toBeNull();
      expect(around(stored, 'Account Holder')).toBeNull();
      expect((await verifyChain(t.app.get<EventStore>(EVENT_STORE), db)).broken).toBeNull();

      // Invited again, the address gets a new account: a new id, its own password.
      const again = await invite(t, admin, wards[0], [address]).expect(201);
      const fresh = await request(t.server)
        .post(`/api/public/invitations/${await personalToken(t, again.body.issued[0].id)}/accept`)
        .send({ password: 'another passphrase 2' })
        .expect(201);
      expect(fresh.body.patientId).not.toBe(patient.patientId);
      await request(t.server)
        .post('/api/auth/login')
        .send({ email: address, password: 'another passphrase 2' })
        .expect(200);
    });
  });
});
