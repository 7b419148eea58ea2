import request from 'supertest';
import { CLOCK, type ControllableClock } from '@app/clock';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { describeWithPostgres, postgresUrl, temporaryPostgres } from '@app/sql/testing/test-databases';
import { InvitationJobs } from '@app/invitations';
import { ADMIN, firstDeployment, login, settled, TEST_ENV } from './support/identity';
import { invite, personalToken } from './support/invitations';
import { startTestApp, type TestApp, withSearchPath } from './support/test-app';

const SECRET = 'a-token-key-that-is-long-enough-0123456789';

describe('token key rotation', () => {
  it('keeps links signed with a retired key working while the key is listed, and only then', async () => {
    const before = await startTestApp({ ...TEST_ENV, TOKEN_SECRET: `old:${SECRET}` });
    let token: string;
    try {
      const admin = await login(before, ADMIN.email, ADMIN.password);
      const deployment = await firstDeployment(before, admin);
      const id = (await invite(before, admin, deployment, ['rotate@example.org']).expect(201)).body.issued[0].id;
      token = await personalToken(before, id);
      expect(token.startsWith('old.')).toBe(true);
    } finally {
      await before.app.close();
    }
    const rotated = await startTestApp({
      ...TEST_ENV,
      DATA_DIR: before.config.dataDir,
      TOKEN_SECRET: `new:${SECRET}x,old:${SECRET}`,
    });
    try {
      await request(rotated.server).get(`/api/public/invitations/${token}`).expect(200);
    } finally {
      await rotated.app.close();
    }
    const retired = await startTestApp({
      ...TEST_ENV,
      DATA_DIR: before.config.dataDir,
      TOKEN_SECRET: `new:${SECRET}x`,
    });
    try {
      expect((await request(retired.server).get(`/api/public/invitations/${token}`)).body).toMatchObject({
        status: 404,
        code: 'invalid_token',
      });
    } finally {
      await retired.close();
    }
  });
});

describeWithPostgres('two instances on one PostgreSQL database', () => {
  it('expire an invitation once when both run the jobs at the same moment', async () => {
    const pg = await temporaryPostgres();
    const env = { ...TEST_ENV, EVENT_STORE: 'postgres', DATABASE_URL: withSearchPath(postgresUrl, pg.schema) };
    const [a, b]: TestApp[] = await Promise.all([startTestApp(env), startTestApp(env)]);
    try {
      const admin = await login(a, ADMIN.email, ADMIN.password);
      const deployment = await firstDeployment(a, admin);
      const ids = (
        await invite(
          a,
          admin,
          deployment,
          Array.from({ length: 20 }, (_, i) => `twice${i}@example.org`),
          '24h',
        ).expect(201)
      ).body.issued.map((i: { id: string }) => i.id);
      await settled(a);
      for (const instance of [a, b]) instance.app.get<ControllableClock>(CLOCK).advance(25 * 3600);
      await Promise.all([
        a.app.get(InvitationJobs).runDue(),
        b.app.get(InvitationJobs).runDue(),
        a.app.get(InvitationJobs).runDue(),
      ]);
      const store = a.app.get<EventStore>(EVENT_STORE);
      for (const id of ids) {
        const expired = [];
        for await (const e of store.readStream(`invitation-${id}`)) if (e.type === 'InvitationExpired') expired.push(e);
        expect(expired).toHaveLength(1);
      }
      expect((await request(b.server).get(`/api/public/invitations/${await personalToken(b, ids[0])}`)).body.code).toBe(
        'invitation_expired',
      );
    } finally {
      await Promise.all([a.close(), b.close()]);
      await pg.drop();
    }
  });
});
