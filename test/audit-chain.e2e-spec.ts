import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { anchorSignedBy, type ChainAnchor, linkAt } from '@app/integrity';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, createStaff, login, newDeployment, settled, TEST_ENV } from './support/identity';
import { invite } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';

/** npm run audit:verify as a real process, configured as the service is. */
function auditVerify(t: TestApp, args: string[] = []): Promise<{ code: number; out: string }> {
  // The service's own configuration, nothing of the environment the tests run in (CI sets DATABASE_URL).
  const { DATABASE_URL: _url, EVENT_STORE: _store, ...inherited } = process.env;
  const env = {
    ...inherited,
    NODE_ENV: 'test',
    DATA_DIR: t.config.dataDir,
    ...(t.config.databaseUrl ? { EVENT_STORE: 'postgres', DATABASE_URL: t.config.databaseUrl } : {}),
  };
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [
        '-r',
        join(__dirname, 'support', 'run-typescript.js'),
        join(__dirname, '..', 'apps', 'api', 'audit', 'audit-verify.ts'),
        ...args,
      ],
      { env },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, out: stdout + stderr }),
    ),
  );
}

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('tamper evidence on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: string;
    let db: SqlDatabase;

    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
      const ward = await newDeployment(t, admin, 'Chained ward');
      await invite(t, admin, ward, ['one@example.org', 'two@example.org'], '7d').expect(201);
      await settled(t);
      db = t.app.get<SqlDatabase>(SQL_DATABASE);
    });
    afterAll(async () => t?.close());

    it('gives the chain head, signed, to holders of view_audit_log only', async () => {
      await request(t.server).get('/api/audit/anchor').expect(401);
      const staff = await createStaff(t, admin, { email: 'no-audit@example.org', role: 'OrganisationStaff' });
      const refused = await request(t.server).get('/api/audit/anchor').set(bearer(staff)).expect(403);
      expect(refused.body.code).toBe('forbidden');
      await settled(t);
      const res = await request(t.server).get('/api/audit/anchor').set(bearer(admin)).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const anchor = res.body as ChainAnchor;
      // The mail sender may record more events meanwhile: the anchor is the link it names, and was the head.
      const link = (await linkAt(db, anchor.seq))!;
      expect(anchor).toMatchObject({ seq: link.seq, position: link.position, hash: link.hash, algorithm: 'Ed25519' });
      expect(anchor.seq).toBeGreaterThan(5);
      expect(anchorSignedBy(anchor, anchor.publicKey)).toBe(true);
    });

    it('verifies the whole chain and the anchors kept, then names the first event changed', async () => {
      await settled(t);
      const anchor = (await request(t.server).get('/api/audit/anchor').set(bearer(admin)).expect(200))
        .body as ChainAnchor;
      const file = join(t.config.dataDir, 'anchors.ndjson');
      writeFileSync(file, `${JSON.stringify(anchor)}\n`);
      const intact = await auditVerify(t, ['--anchor', file]);
      expect(intact.out).toContain(`Chain intact: ${anchor.seq} events checked`);
      expect(intact.out).toContain('It extends all 1 anchor(s) given.');
      expect(intact.code).toBe(0);

      const forged = join(t.config.dataDir, 'forged.json');
      writeFileSync(forged, JSON.stringify({ ...anchor, hash: 'ab'.repeat(32) }));
      const refused = await auditVerify(t, ['--anchor', forged]);
      expect(refused.out).toContain(`Anchor at ${anchor.seq} is not signed by the key ${anchor.publicKey}: refused`);
      expect(refused.code).toBe(1);

      const [victim] = await db.query<{ seq: number | string; event_id: string; position: string }>(
        'SELECT seq, event_id, position FROM event_chain ORDER BY seq LIMIT 1 OFFSET 4',
      );
      const edit =
        store === 'postgres'
          ? `UPDATE events SET metadata = jsonb_set(metadata, '{edited}', 'true') WHERE event_id = $1::uuid`
          : `UPDATE events SET metadata = json_set(metadata, '$.edited', json('true')) WHERE event_id = $1`;
      await db.execute(edit, [victim.event_id]);
      const broken = await auditVerify(t);
      expect(broken.out).toContain(`BROKEN at event 5 (position ${victim.position}, event ${victim.event_id})`);
      expect(broken.out).toContain('4 events checked');
      expect(broken.code).toBe(1);
    });
  });
});
