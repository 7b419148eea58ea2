import request from 'supertest';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, login, settled, TEST_ENV, newDeployment } from './support/identity';
import { advance, invite } from './support/invitations';
import { deploymentAuditor, wholeFeed as feed } from './support/audit';
import { startTestApp, type TestApp } from './support/test-app';

interface FeedEvent {
  position: string;
  type: string;
  metadata: { deploymentId?: string };
  data: Record<string, unknown>;
}

const wholeFeed = (t: TestApp, token: string) => feed<FeedEvent>(t, token);

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('the audit feed on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: string;
    let auditor: string;
    let mine: string;
    let theirs: string;

    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
      mine = await newDeployment(t, admin, 'Mine');
      theirs = await newDeployment(t, admin, 'Theirs');
      auditor = await deploymentAuditor(t, admin, mine, 'auditor@example.org');
      await invite(t, admin, mine, ['mine-1@example.org', 'mine-2@example.org'], '24h').expect(201);
      await invite(t, admin, theirs, ['theirs-1@example.org', 'theirs-2@example.org'], '24h').expect(201);
      await request(t.server)
        .post(`/api/deployments/${theirs}/invitation-links`)
        .set(bearer(admin))
        .send({ expiresIn: '7d' })
        .expect(201);
      await advance(t, 25 * 3600);
      await settled(t);
    });
    afterAll(async () => t?.close());

    it("shows a deployment-scoped auditor only its deployments' events, mail outcomes included", async () => {
      const events = await wholeFeed(t, auditor);
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.metadata.deploymentId === mine)).toBe(true);
      const text = JSON.stringify(events);
      expect(text).not.toContain('theirs-');
      expect(text).toContain('mine-1@example.org');
      expect(events.map((e) => e.type)).toEqual(
        expect.arrayContaining(['InvitationIssued', 'InvitationExpired', 'MailSent']),
      );
    });

    it('shows an organisation-wide auditor every deployment, in one global order', async () => {
      const events = await wholeFeed(t, admin);
      const text = JSON.stringify(events);
      expect(text).toContain('mine-1@example.org');
      expect(text).toContain('theirs-1@example.org');
      const positions = events.map((e) => e.position);
      expect([...positions].sort()).toEqual(positions);
    });

    it('never carries a nonce or other token material in event data', async () => {
      const events = await wholeFeed(t, admin);
      expect(events.some((e) => e.type === 'InvitationLinkGenerated')).toBe(true);
      expect(JSON.stringify(events.map((e) => e.data))).not.toMatch(/nonce|token|password|hash/i);
    });
  });
});
