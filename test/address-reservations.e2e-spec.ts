import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import { EVENT_STORE, type EventStore, inDeployment, systemContext, toNewEvents } from '@app/event-store';
import { IdentityDirectory } from '@app/identity';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { PasswordHasher } from '../libs/identity/application/password-hasher';
import { ADMIN, bearer, login, newDeployment, settled, TEST_ENV } from './support/identity';
import { invite, personalToken } from './support/invitations';
import { around, everythingStored } from './support/stored-text';
import { startTestApp, type TestApp } from './support/test-app';

/** The name an address's reservation stream had before keyed names: a plain SHA-256 of deployment and address. */
const plainHashName = (deploymentId: string, email: string) =>
  `invitationAddress-${createHash('sha256').update(`${deploymentId}\u0000${email}`).digest('hex').slice(0, 40)}`;

/** A patient address's reservation stream as it was named before keyed names. */
const plainPatientName = (email: string) =>
  `patientEmail-${createHash('sha256').update(`patient:${email}`).digest('hex').slice(0, 40)}`;

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('address reservations on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: string;
    let ward: string;
    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
      ward = await newDeployment(t, admin, 'Reservations ward');
    });
    afterAll(async () => t?.close());

    it('are named by a keyed HMAC: no plain hash of the address is stored anywhere', async () => {
      const address = 'reserved.patient@example.org';
      await invite(t, admin, ward, [address]).expect(201);
      await settled(t);
      const plain = plainHashName(ward, address).split('-')[1];
      expect(around(await everythingStored(t, store), plain)).toBeNull();
      // Still one live invitation per address: the keyed stream is found again.
      const again = await invite(t, admin, ward, [address]).expect(201);
      expect(again.body).toMatchObject({ issued: [], skipped: [{ email: address, reason: 'already_pending' }] });
    });

    it('still honour a reservation made under the old plain-hash name, until the keyed stream decides', async () => {
      // As an earlier version wrote it: the invitation and its reservation on the plain-hash stream.
      const address = 'reserved.earlier@example.org';
      const id = randomUUID();
      const context = inDeployment(systemContext(new Date()), ward);
      const events = t.app.get<EventStore>(EVENT_STORE);
      await events.appendToStreams([
        {
          stream: plainHashName(ward, address),
          expectedRevision: 'no_stream',
          events: toNewEvents(
            [{ type: 'InvitationAddressReserved', data: { invitationId: id, deploymentId: ward } }],
            context,
          ),
        },
        {
          stream: `invitation-${id}`,
          expectedRevision: 'no_stream',
          events: toNewEvents(
            [
              {
                type: 'InvitationIssued',
                data: {
                  invitationId: id,
                  deploymentId: ward,
                  email: address,
                  channel: 'email',
                  linkId: null,
                  expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
                  expiresIn: '7d',
                  nonce: 'n'.repeat(22),
                },
              },
            ],
            context,
          ),
        },
      ]);
      await settled(t);

      const pending = await invite(t, admin, ward, [address]).expect(201);
      expect(pending.body.skipped).toEqual([{ email: address, reason: 'already_pending' }]);
      await request(t.server).delete(`/api/invitations/${id}`).set(bearer(admin)).expect(204);
      const fresh = await invite(t, admin, ward, [address]).expect(201);
      expect(fresh.body.issued).toEqual([expect.objectContaining({ email: address, status: 'pending' })]);
      expect(fresh.body.issued[0].id).not.toBe(id);
      const twice = await invite(t, admin, ward, [address]).expect(201);
      expect(twice.body.skipped).toEqual([{ email: address, reason: 'already_pending' }]);
    });

    it('name a patient’s account address by a keyed HMAC too', async () => {
      const address = 'account.holder@example.org';
      const { body } = await invite(t, admin, ward, [address]).expect(201);
      await request(t.server)
        .post(`/api/public/invitations/${await personalToken(t, body.issued[0].id)}/accept`)
        .send({ password: 'a patient passphrase 3' })
        .expect(201);
      await settled(t);
      expect(around(await everythingStored(t, store), plainPatientName(address).split('-')[1])).toBeNull();
      await request(t.server)
        .post('/api/auth/login')
        .send({ email: address, password: 'a patient passphrase 3' })
        .expect(200);
    });

    it('still find an account reserved under the old name: it signs in, and erasing it frees the address', async () => {
      // An account as an earlier version wrote it: reserved on the plain-hash stream.
      const address = 'account.earlier@example.org';
      const patientId = randomUUID();
      const credentialId = randomUUID();
      const password = 'an earlier passphrase 4';
      const context = inDeployment(systemContext(new Date()), ward);
      await t.app
        .get(IdentityDirectory)
        .storeCredential(credentialId, await new PasswordHasher(10).hash(password), new Date());
      await t.app.get<EventStore>(EVENT_STORE).appendToStreams([
        {
          stream: plainPatientName(address),
          expectedRevision: 'no_stream',
          events: toNewEvents(
            [{ type: 'EmailAddressReserved', data: { accountId: patientId, kind: 'patient' } }],
            context,
          ),
        },
        {
          stream: `patient-${patientId}`,
          expectedRevision: 'no_stream',
          events: toNewEvents(
            [
              {
                type: 'PatientAccountCreated',
                data: {
                  patientId,
                  email: address,
                  displayName: null,
                  invitationId: randomUUID(),
                  deploymentId: ward,
                  credentialId,
                },
              },
            ],
            context,
          ),
        },
      ]);
      await settled(t);
      await request(t.server).post('/api/auth/login').send({ email: address, password }).expect(200);

      const erased = await request(t.server)
        .post('/api/patients/erasure')
        .set(bearer(admin))
        .send({ email: address })
        .expect(200);
      expect(erased.body).toMatchObject({ accountErased: true });
      await request(t.server).post('/api/auth/login').send({ email: address, password }).expect(401);
      const { body } = await invite(t, admin, ward, [address]).expect(201);
      const fresh = await request(t.server)
        .post(`/api/public/invitations/${await personalToken(t, body.issued[0].id)}/accept`)
        .send({ password: 'a new passphrase 5' })
        .expect(201);
      expect(fresh.body.patientId).not.toBe(patientId);
    });
  });
});
