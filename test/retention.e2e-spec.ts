import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { ProcessorRunner } from '@app/event-processing';
import { verifyChain } from '@app/integrity';
import { MailDispatcher } from '@app/notifications';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, login, newDeployment, settled, TEST_ENV } from './support/identity';
import { advance, eventsOf, invite, personalToken } from './support/invitations';
import { around, everythingStored } from './support/stored-text';
import { startTestApp, type TestApp } from './support/test-app';

const DAY = 24 * 3600;

/** One address per way an invitation ends, and two it must not touch. */
const REVOKED = 'revoked.patient@example.org';
const REDEEMED = 'redeemed.patient@example.org';
const EXPIRED = 'expired.patient@example.org';
const PENDING = 'pending.patient@example.org';

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('personal data retention on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: string;
    let ward: string;
    let keeping: string;
    const ids: Record<string, string> = {};
    let keptElsewhere: string;
    let patientPassword: string;

    async function quiet(): Promise<void> {
      await settled(t);
      await t.app.get(MailDispatcher).drain();
      await settled(t);
    }

    const invitation = (id: string) => request(t.server).get(`/api/invitations/${id}`).set(bearer(admin)).expect(200);

    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
      ward = await newDeployment(t, admin, 'Retention ward');
      keeping = await newDeployment(t, admin, 'Keeping ward');
      await request(t.server)
        .patch(`/api/deployments/${ward}/settings`)
        .set(bearer(admin))
        .send({ personalDataRetentionDays: 30 })
        .expect(200);

      const issued = await request(t.server)
        .post(`/api/deployments/${ward}/invitations`)
        .set(bearer(admin))
        .set('Idempotency-Key', `retention-${store}`)
        .send({ emails: [REVOKED, REDEEMED, PENDING], expiresIn: '1y' })
        .expect(201);
      for (const { id, email } of issued.body.issued as { id: string; email: string }[]) ids[email] = id;
      ids[EXPIRED] = (await invite(t, admin, ward, [EXPIRED], '24h').expect(201)).body.issued[0].id;
      // The same person in a deployment that keeps personal data: that copy is another scope's.
      keptElsewhere = (await invite(t, admin, keeping, [REVOKED], '1y').expect(201)).body.issued[0].id;

      await request(t.server).delete(`/api/invitations/${ids[REVOKED]}`).set(bearer(admin)).expect(204);
      await request(t.server).delete(`/api/invitations/${keptElsewhere}`).set(bearer(admin)).expect(204);
      patientPassword = 'a patient passphrase 7';
      await request(t.server)
        .post(`/api/public/invitations/${await personalToken(t, ids[REDEEMED])}/accept`)
        .send({ password: patientPassword, displayName: 'Redeemed Patient' })
        .expect(201);
      await quiet();
    });
    afterAll(async () => t?.close());

    it('keeps everything until the invitation ended that many days ago', async () => {
      await advance(t, 29 * DAY);
      await quiet();
      for (const email of [REVOKED, REDEEMED, EXPIRED, PENDING])
        expect((await invitation(ids[email])).body.email).toBe(email);
    });

    it('then shreds the ended invitations’ copies of the address everywhere, and records why', async () => {
      await advance(t, 2 * DAY);
      await quiet();

      for (const email of [REVOKED, REDEEMED, EXPIRED])
        expect((await invitation(ids[email])).body).toMatchObject({ email: '[erased]' });
      expect((await invitation(ids[PENDING])).body).toMatchObject({ email: PENDING, status: 'pending' });
      // The person's copy in a deployment that keeps data is under another key, and still reads.
      expect((await invitation(keptElsewhere)).body).toMatchObject({ email: REVOKED, status: 'revoked' });

      const removal = (await eventsOf(t, `invitation-${ids[REVOKED]}`)).find(
        (e) => e.type === 'InvitationPersonalDataRemoved',
      );
      expect(removal?.data).toEqual({
        invitationId: ids[REVOKED],
        deploymentId: ward,
        endedAs: 'revoked',
        endedAt: expect.any(String),
        retentionDays: 30,
      });
      expect(removal?.metadata).toMatchObject({ actor: { type: 'system' }, deploymentId: ward });
      const expired = (await eventsOf(t, `invitation-${ids[EXPIRED]}`)).find(
        (e) => e.type === 'InvitationPersonalDataRemoved',
      );
      expect(expired?.data).toMatchObject({ endedAs: 'expired' });

      for (const email of [REVOKED, REDEEMED, EXPIRED]) {
        const history = await request(t.server)
          .get(`/api/invitations/${ids[email]}/history`)
          .set(bearer(admin))
          .expect(200);
        expect(JSON.stringify(history.body)).not.toContain(email);
      }
      const listed = await request(t.server)
        .get(`/api/deployments/${ward}/invitations?status=pending,expired,redeemed,revoked`)
        .set(bearer(admin))
        .expect(200);
      expect(listed.body.items.map((i: { email: string }) => i.email).sort()).toEqual([
        '[erased]',
        '[erased]',
        '[erased]',
        PENDING,
      ]);
      const exported = await request(t.server)
        .get(`/api/events/export?deploymentId=${ward}`)
        .set(bearer(admin))
        .expect(200);
      // The patient's account is theirs, not the invitation's: only it still names them.
      const naming = (email: string) =>
        exported.text
          .split('\n')
          .filter((line) => line.includes(email))
          .map((line) => JSON.parse(line).streamId.split('-')[0]);
      expect(naming(REVOKED)).toEqual([]);
      expect(naming(EXPIRED)).toEqual([]);
      expect([...new Set(naming(REDEEMED))]).toEqual(['patient']);
      expect(exported.text).toContain(PENDING);

      // Only in this invitation, the expired address is nowhere in the database any more.
      const stored = await everythingStored(t, store);
      expect(around(stored, EXPIRED)).toBeNull();
      expect(around(stored, PENDING)).not.toBeNull();
    });

    it('leaves the patient’s account alone, keeps the log whole, and survives a rebuild', async () => {
      const signedIn = await request(t.server)
        .post('/api/auth/login')
        .send({ email: REDEEMED, password: patientPassword })
        .expect(200);
      await request(t.server).get('/api/me').set(bearer(signedIn.body.accessToken)).expect(200);

      const events = t.app.get<EventStore>(EVENT_STORE);
      expect((await verifyChain(events, t.app.get<SqlDatabase>(SQL_DATABASE))).broken).toBeNull();
      await t.app.get(ProcessorRunner).rebuild('invitation-lists');
      expect((await invitation(ids[EXPIRED])).body.email).toBe('[erased]');
      expect((await invitation(ids[PENDING])).body.email).toBe(PENDING);

      // Nothing is done twice: another run of the jobs records nothing more.
      await advance(t, DAY);
      const removals = (await eventsOf(t, `invitation-${ids[REVOKED]}`)).filter(
        (e) => e.type === 'InvitationPersonalDataRemoved',
      );
      expect(removals).toHaveLength(1);
    });

    it('lets the address be invited again in the same deployment, as a new invitation', async () => {
      const resent = await request(t.server)
        .post(`/api/invitations/${ids[EXPIRED]}/resend`)
        .set(bearer(admin))
        .send({})
        .expect(409);
      expect(resent.body.code).toBe('invitation_not_resendable');
      const again = await invite(t, admin, ward, [EXPIRED]).expect(201);
      expect(again.body.issued[0].id).not.toBe(ids[EXPIRED]);
      await settled(t);
      expect((await invitation(again.body.issued[0].id)).body).toMatchObject({ email: EXPIRED, status: 'pending' });
      expect((await invitation(ids[EXPIRED])).body).toMatchObject({ email: '[erased]', status: 'expired' });
    });
  });
});
