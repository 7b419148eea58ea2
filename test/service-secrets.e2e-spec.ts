import request from 'supertest';
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { describeWithPostgres, postgresUrl, temporaryPostgres } from '@app/sql/testing/test-databases';
import { SECRETS_FILE_NAME } from '../apps/api/secrets/service-secrets';
import { ADMIN, bearer, login, TEST_ENV } from './support/identity';
import { startTestApp, type TestApp, withSearchPath } from './support/test-app';

/** What anyone could read in this repository's history before: it must sign nothing now. */
const PUBLISHED_JWT_SECRET = 'development-only-jwt-secret-change-me-0123456789';

describe('secrets nobody configured', () => {
  it('are generated on first start, kept in DATA_DIR as a 0600 file, and the same after a restart', async () => {
    const first = await startTestApp(TEST_ENV);
    let token: string;
    try {
      const file = join(first.config.dataDir, SECRETS_FILE_NAME);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const kept = JSON.parse(readFileSync(file, 'utf8'));
      expect(kept.JWT_SECRET.length).toBeGreaterThanOrEqual(48);
      expect(kept.TOKEN_SECRET.length).toBeGreaterThanOrEqual(48);
      expect(kept.AUDIT_SIGNING_KEY.length).toBeGreaterThanOrEqual(48);
      token = await login(first, ADMIN.email, ADMIN.password);
      const me = (await request(first.server).get('/api/me').set(bearer(token)).expect(200)).body;
      const forged = new JwtService({ secret: PUBLISHED_JWT_SECRET }).sign(
        { sub: me.id, kind: 'staff' },
        { algorithm: 'HS256', expiresIn: 600 },
      );
      await request(first.server).get('/api/me').set(bearer(forged)).expect(401);
    } finally {
      await first.app.close();
    }
    const again = await startTestApp({ ...TEST_ENV, DATA_DIR: first.config.dataDir });
    try {
      await request(again.server).get('/api/me').set(bearer(token)).expect(200);
    } finally {
      await again.close();
    }
  });

  it('serve the outbox only on loopback or with the test clock', async () => {
    const exposed = await startTestApp({ ...TEST_ENV, HOST: '0.0.0.0', TEST_CLOCK: 'disabled' });
    try {
      await request(exposed.server).get('/api/dev/outbox').expect(404);
    } finally {
      await exposed.close();
    }
    const local = await startTestApp({ ...TEST_ENV, HOST: '127.0.0.1', TEST_CLOCK: 'disabled' });
    try {
      await request(local.server).get('/api/dev/outbox').expect(200);
    } finally {
      await local.close();
    }
  });
});

describeWithPostgres('secrets nobody configured, on PostgreSQL', () => {
  it('are generated once and shared by every instance through the database, when three start together', async () => {
    const pg = await temporaryPostgres();
    const env = { ...TEST_ENV, EVENT_STORE: 'postgres', DATABASE_URL: withSearchPath(postgresUrl, pg.schema) };
    const [a, b, c]: TestApp[] = await Promise.all([startTestApp(env), startTestApp(env), startTestApp(env)]);
    try {
      const token = await login(a, ADMIN.email, ADMIN.password);
      await request(b.server).get('/api/me').set(bearer(token)).expect(200);
      await request(c.server).get('/api/me').set(bearer(token)).expect(200);
      const rows = await pg.db.query<{ name: string }>('SELECT name FROM service_secrets ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(['AUDIT_SIGNING_KEY', 'JWT_SECRET', 'PERSONAL_DATA_KEY', 'TOKEN_SECRET']);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
      await pg.drop();
    }
  });
});
