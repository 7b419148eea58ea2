import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ADMIN, bearer, firstDeployment, login, settled, TEST_ENV } from './support/identity';
import { invite, personalToken, tokenOfUrl } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';

describe('raw tokens are never stored', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp(TEST_ENV)));
  afterAll(async () => t?.close());

  it('leaves no token or MAC in the SQLite file or its WAL after a full run of the flows', async () => {
    const admin = await login(t, ADMIN.email, ADMIN.password);
    const deployment = await firstDeployment(t, admin);
    const tokens: string[] = [];
    const issued = (await invite(t, admin, deployment, ['one@example.org', 'two@example.org']).expect(201)).body.issued;
    for (const { id } of issued) tokens.push(await personalToken(t, id));
    await request(t.server).post(`/api/invitations/${issued[1].id}/resend`).set(bearer(admin)).send({}).expect(200);
    tokens.push(await personalToken(t, issued[1].id));
    await request(t.server)
      .post(`/api/public/invitations/${tokens[0]}/accept`)
      .send({ password: 'patient passphrase 1' })
      .expect(201);
    const link = (
      await request(t.server)
        .post(`/api/deployments/${deployment}/invitation-links`)
        .set(bearer(admin))
        .send({ expiresIn: '7d' })
        .expect(201)
    ).body;
    tokens.push(tokenOfUrl(link.url));
    await request(t.server)
      .post(`/api/public/invitation-links/${tokenOfUrl(link.url)}/sign-up`)
      .send({ email: 'three@example.org' })
      .expect(202);
    await request(t.server).get(`/api/deployments/${deployment}/invitation-links`).set(bearer(admin)).expect(200);
    await settled(t);

    const files = readdirSync(t.config.dataDir).map((f) => readFileSync(join(t.config.dataDir, f)));
    expect(files.length).toBeGreaterThan(0);
    const haystack = Buffer.concat(files);
    for (const token of tokens) {
      const mac = token.split('.')[2];
      expect(haystack.includes(token)).toBe(false);
      expect(haystack.includes(mac)).toBe(false);
      expect(haystack.includes(Buffer.from(mac, 'base64url').toString('hex'))).toBe(false);
    }
    expect(haystack.includes('patient passphrase 1')).toBe(false);
  });
});
