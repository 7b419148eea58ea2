import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, firstDeployment, login, TEST_ENV } from './support/identity';
import { startTestApp, type TestApp } from './support/test-app';

/** Sends headers and a first chunk of a body much larger than that, and resolves with the answer. */
function declareHugeBody(
  t: TestApp,
  path: string,
  headers: Record<string, string>,
  declared: number,
): Promise<{ status: number; sent: number }> {
  const { port } = (t.server.listening ? t.server : t.server.listen(0)).address() as AddressInfo;
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, 'Content-Length': String(declared) } },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, sent });
        req.destroy();
      },
    );
    req.on('error', (error) => (sent > 0 ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      while (sent < 8 * 1024 * 1024 && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('bad input on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: string;
    let invitations: string;
    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
      const deployment = await firstDeployment(t, admin);
      invitations = `/api/deployments/${deployment}/invitations`;
    });
    afterAll(async () => t?.close());

    const json = (path: string, body: string, headers: Record<string, string> = {}) =>
      request(t.server)
        .post(path)
        .set(bearer(admin))
        .set({ 'Content-Type': 'application/json', ...headers })
        .send(body);

    it.each([
      ['an unknown charset', { 'Content-Type': 'application/json; charset=foo' }, 415, 'unsupported_charset'],
      ['an unsupported Content-Encoding', { 'Content-Encoding': 'br' }, 415, 'unsupported_content_encoding'],
      ['gzip that is not gzip', { 'Content-Encoding': 'gzip' }, 415, 'unsupported_content_encoding'],
    ])('answers %s with a problem', async (_, headers, status, code) => {
      const res = await json(invitations, '{"emails":["a@example.org"],"expiresIn":"7d"}', headers);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status, code });
    });

    it('refuses deeply nested JSON before validation walks it', async () => {
      const deep = `{"emails":${'['.repeat(50_000)}${']'.repeat(50_000)},"expiresIn":"7d"}`;
      expect((await json(invitations, deep)).body).toMatchObject({ status: 400, code: 'too_deeply_nested' });
      const objects = `{"email":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)},"password":"x"}`;
      expect(
        (await request(t.server).post('/api/auth/login').set('Content-Type', 'application/json').send(objects)).body,
      ).toMatchObject({ status: 400 });
    });

    it('answers a multipart upload cut short with invalid_csv', async () => {
      const cut = '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\na@example.org\r\n';
      const res = await request(t.server)
        .post(`${invitations}/csv-preview`)
        .set(bearer(admin))
        .set('Content-Type', 'multipart/form-data; boundary=XYZ')
        .send(cut);
      expect(res.body).toMatchObject({ status: 400, code: 'invalid_csv' });
    });

    it.each([
      ['a NUL in a name', '/api/deployments', { name: 'Ward\u0000 7' }],
      ['a lone high surrogate in a name', '/api/deployments', { name: 'Ward \ud800 7' }],
      ['a lone low surrogate in a role name', '/api/roles', { name: 'Role \udc00', permissions: [] }],
      [
        'a NUL in an address',
        '/api/staff',
        { email: 'x\u0000y@example.org', password: 'a sturdy passphrase 1', role: 'Admin' },
      ],
    ])('refuses %s with invalid_characters and writes nothing', async (_, path, body) => {
      const res = await json(path, JSON.stringify(body));
      expect(res.body).toMatchObject({ status: 400, code: 'invalid_characters' });
    });

    it.each([
      ['the invitation list', () => invitations, 500],
      ['the staff directory', () => '/api/staff', 500],
      ["a webhook's deliveries", () => '/api/webhooks/00000000-0000-4000-8000-000000000000/deliveries', 500],
      ['the audit feed', () => '/api/events', 1000],
    ])('refuses a page size outside 1 to its maximum on %s', async (_, path, max) => {
      for (const limit of ['0', String(max + 1), '2.5', 'ten'])
        expect((await request(t.server).get(`${path()}?limit=${limit}`).set(bearer(admin))).body).toMatchObject({
          status: 400,
          code: 'validation_failed',
        });
    });

    it.each([
      ['the invitation list', () => invitations, 500],
      ['the staff directory', () => '/api/staff', 500],
      ['the audit feed', () => '/api/events', 1000],
    ])('takes a page size from 1 to its maximum on %s', async (_, path, max) => {
      for (const limit of ['1', String(max)])
        await request(t.server).get(`${path()}?limit=${limit}`).set(bearer(admin)).expect(200);
    });

    it('refuses a NUL in the query', async () => {
      expect((await request(t.server).get(`${invitations}?q=%00`).set(bearer(admin))).body).toMatchObject({
        status: 400,
        code: 'invalid_characters',
      });
    });

    it('keeps well-formed text outside the Basic Multilingual Plane', async () => {
      const res = await json('/api/deployments', JSON.stringify({ name: 'Station 🏥 Nord' })).expect(201);
      expect(res.body.name).toBe('Station 🏥 Nord');
    });

    it('refuses a body over the limit at its Content-Length, before reading it', async () => {
      const answer = await declareHugeBody(
        t,
        invitations,
        { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
        2 * 1024 ** 3,
      );
      expect(answer.status).toBe(413);
      expect(answer.sent).toBeLessThan(2 * 1024 ** 3);
      const csv = await declareHugeBody(
        t,
        `${invitations}/csv-preview`,
        { Authorization: `Bearer ${admin}`, 'Content-Type': 'text/csv' },
        2 * 1024 ** 3,
      );
      expect(csv.status).toBe(413);
    });

    it('counts blank lines toward the row limit of a CSV file', async () => {
      const res = await request(t.server)
        .post(`${invitations}/csv-preview`)
        .set(bearer(admin))
        .set('Content-Type', 'text/csv')
        .send(`a@example.org\n${'\n'.repeat(200_000)}`);
      expect(res.body).toMatchObject({ status: 400, code: 'too_many_rows' });
    });
  });
});

describe('an unusable DATA_DIR', () => {
  it('stops start-up with one line naming the path and why, without a stack', async () => {
    const t = await startTestApp(TEST_ENV);
    const blocker = join(t.config.dataDir, 'a-file');
    writeFileSync(blocker, '');
    try {
      const output = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
        execFile(
          process.execPath,
          ['-r', join(__dirname, 'support', 'run-typescript.js'), join(__dirname, '..', 'apps', 'api', 'main.ts')],
          {
            env: { PATH: process.env.PATH, DATA_DIR: join(blocker, 'data'), PORT: '0', LOG_LEVEL: 'silent' },
            timeout: 60_000,
          },
          (error, stdout, stderr) =>
            resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
      expect(output.code).toBe(1);
      expect(output.stderr.trim().split('\n')).toEqual([
        `Start-up failed: DATA_DIR ${join(blocker, 'data')} is not usable: a part of the path is a file, not a folder`,
      ]);
    } finally {
      await t.close();
    }
  });
});
