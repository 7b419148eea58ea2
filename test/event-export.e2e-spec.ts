import request from 'supertest';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, createStaff, login, settled, TEST_ENV, newDeployment } from './support/identity';
import { advance, invite } from './support/invitations';
import { deploymentAuditor, wholeFeed } from './support/audit';
import { startTestApp, type TestApp } from './support/test-app';

interface Exported {
  position: string;
  type: string;
  occurredAt: string;
  metadata: { deploymentId?: string };
  data: Record<string, unknown>;
}

const lines = (body: string): Exported[] =>
  body
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Exported);

const feed = (t: TestApp, token: string, query = '') => wholeFeed<Exported>(t, token, query);

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('the event export on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: string;
    let auditor: string;
    let mine: string;
    let theirs: string;
    let between: { from: string; to: string };

    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
      mine = await newDeployment(t, admin, 'Mine');
      theirs = await newDeployment(t, admin, 'Theirs');
      auditor = await deploymentAuditor(t, admin, mine, 'exporter@example.org');
      await invite(t, admin, mine, ['early@example.org'], '7d').expect(201);
      const from = await advance(t, 3600);
      await invite(t, admin, mine, ['mid-1@example.org', 'mid-2@example.org'], '7d').expect(201);
      await invite(t, admin, theirs, ['theirs@example.org'], '7d').expect(201);
      const to = await advance(t, 3600);
      await invite(t, admin, mine, ['late@example.org'], '7d').expect(201);
      between = { from, to };
      await settled(t);
    });
    afterAll(async () => t?.close());

    it('streams every event as NDJSON, the same events as the feed, in log order, nothing secret', async () => {
      const res = await request(t.server).get('/api/events/export').set(bearer(admin)).expect(200);
      expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="events-\d{4}-\d{2}-\d{2}\.ndjson"$/);
      const exported = lines(res.text);
      expect(exported).toEqual(await feed(t, admin));
      expect(exported.length).toBeGreaterThan(20);
      expect(exported.map((e) => e.position)).toEqual([...exported.map((e) => e.position)].sort());
      expect(res.text).not.toMatch(/nonce|passwordHash|"hash"/);
    });

    it('filters by deployment, time range and type, the feed as well', async () => {
      const query = `&deploymentId=${mine}&from=${between.from}&to=${between.to}&types=InvitationIssued`;
      const res = await request(t.server)
        .get(`/api/events/export?${query.slice(1)}`)
        .set(bearer(admin))
        .expect(200);
      const exported = lines(res.text);
      expect(exported.map((e) => e.data.email).sort()).toEqual(['mid-1@example.org', 'mid-2@example.org']);
      expect(exported.every((e) => e.metadata.deploymentId === mine && e.type === 'InvitationIssued')).toBe(true);
      expect(exported.every((e) => e.occurredAt >= between.from && e.occurredAt < between.to)).toBe(true);
      expect(await feed(t, admin, query)).toEqual(exported);
    });

    it("keeps a deployment's auditor to their deployments, in the export as in the feed", async () => {
      const own = lines((await request(t.server).get('/api/events/export').set(bearer(auditor)).expect(200)).text);
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((e) => e.metadata.deploymentId === mine)).toBe(true);
      expect(await feed(t, auditor)).toEqual(own);
      for (const path of [`/api/events/export?deploymentId=${theirs}`, `/api/events?deploymentId=${theirs}`]) {
        const refused = await request(t.server).get(path).set(bearer(auditor)).expect(404);
        expect(refused.body.code).toBe('deployment_not_found');
      }
      const unknown = '00000000-0000-4000-8000-000000000000';
      await request(t.server).get(`/api/events/export?deploymentId=${unknown}`).set(bearer(admin)).expect(404);
    });

    it('answers CSV for a spreadsheet: a header, a row per event, formulas escaped', async () => {
      const res = await request(t.server)
        .get(`/api/events/export?deploymentId=${mine}&types=InvitationIssued`)
        .set(bearer(admin))
        .set('Accept', 'text/csv')
        .expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      const [header, ...rows] = res.text
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\n');
      expect(header).toBe(
        'position,occurredAt,type,streamId,revision,eventId,deploymentId,actorType,actorId,actorName,correlationId,data',
      );
      expect(rows).toHaveLength(4);
      expect(rows.every((row) => row.includes(',InvitationIssued,invitation-'))).toBe(true);
      expect(res.text).toContain('""email"":""mid-1@example.org""');
    });

    it('escapes a cell a spreadsheet would run as a formula', async () => {
      const hostile = await createStaff(t, admin, {
        email: 'formula@example.org',
        role: 'OrganisationStaff',
        name: '=HYPERLINK("http://evil.example";"click")',
      });
      await invite(t, hostile, theirs, ['formula-victim@example.org'], '7d').expect(201);
      const res = await request(t.server)
        .get(`/api/events/export?deploymentId=${theirs}&types=InvitationIssued`)
        .set(bearer(admin))
        .set('Accept', 'text/csv')
        .expect(200);
      const row = res.text.trimEnd().split('\n').pop()!;
      expect(row).toContain(`,"'=HYPERLINK(""http://evil.example"";""click"")",`);
      expect(row).not.toMatch(/(^|,)"?=/);
    });

    it.each([
      ['from=yesterday', 'from'],
      ['to=2026-13-01T00:00:00Z', 'to'],
      ['types=Invitation Issued', 'types'],
      ['deploymentId=not-a-uuid', 'deploymentId'],
    ])('refuses %s as a problem naming it, before streaming anything', async (query, field) => {
      for (const path of ['/api/events/export', '/api/events']) {
        const res = await request(t.server).get(`${path}?${query}`).set(bearer(admin)).expect(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(JSON.stringify(res.body.errors)).toContain(field);
      }
    });

    it('is for holders of view_audit_log only', async () => {
      const nurse = await createStaff(t, admin, { email: 'nurse-export@example.org', role: 'OrganisationStaff' });
      await request(t.server).get('/api/events/export').set(bearer(nurse)).expect(403);
      await request(t.server).get('/api/events/export').expect(401);
    });
  });
});
