import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { systemContext } from '@app/event-store';
import { PATIENT_ACCOUNTS, type PatientAccounts } from '@app/identity';
import { login, TEST_ENV } from './support/identity';
import { eventsOf } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';

describe('the PatientAccounts port', () => {
  let t: TestApp;
  let patients: PatientAccounts;
  const deploymentId = randomUUID();
  beforeAll(async () => {
    t = await startTestApp(TEST_ENV);
    patients = t.app.get(PATIENT_ACCOUNTS);
  });
  afterAll(async () => t?.close());

  it('answers a repeat with the same account, and keeps the first password', async () => {
    const invitationId = randomUUID();
    const input = { invitationId, deploymentId, email: 'same@example.org', password: 'first passphrase 1' };
    const first = await patients.createFromInvitation(input, systemContext(new Date()));
    const again = await patients.createFromInvitation(input, systemContext(new Date()));
    expect(again).toEqual(first);
    await expect(
      patients.createFromInvitation({ ...input, password: 'second passphrase 2' }, systemContext(new Date())),
    ).rejects.toMatchObject({ code: 'invalid_credentials' });
    await login(t, 'same@example.org', 'first passphrase 1');
    await request(t.server)
      .post('/api/auth/login')
      .send({ email: 'same@example.org', password: 'second passphrase 2' })
      .expect(401);
    expect(await patients.isRegistered('same@example.org')).toBe(true);
    expect(await patients.isRegistered('other@example.org')).toBe(false);
  });

  it('makes one account per address: another invitation enrols it, also when racing', async () => {
    const { patientId } = await patients.createFromInvitation(
      { invitationId: randomUUID(), deploymentId, email: 'once@example.org', password: 'a passphrase 123' },
      systemContext(new Date()),
    );
    const elsewhere = randomUUID();
    const enrolled = await patients.createFromInvitation(
      { invitationId: randomUUID(), deploymentId: elsewhere, email: 'once@example.org', password: 'a passphrase 123' },
      systemContext(new Date()),
    );
    expect(enrolled.patientId).toBe(patientId);
    const racing = await Promise.all(
      Array.from({ length: 8 }, () =>
        patients.createFromInvitation(
          { invitationId: randomUUID(), deploymentId, email: 'race@example.org', password: 'a passphrase 123' },
          systemContext(new Date()),
        ),
      ),
    );
    expect(new Set(racing.map((r) => r.patientId)).size).toBe(1);
    const created = (await eventsOf(t, `patient-${racing[0].patientId}`)).filter(
      (e) => e.type === 'PatientAccountCreated',
    );
    expect(created).toHaveLength(1);
  });
});
