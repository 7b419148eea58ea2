import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { TEST_ENV } from './support/identity';
import { startTestApp, type TestApp } from './support/test-app';

type Paths = Record<string, Record<string, unknown>>;

/** Every "METHOD /path" a document describes, the test-only clock left out. */
function routes(paths: Paths): string[] {
  return Object.entries(paths)
    .filter(([path]) => !path.startsWith('/api/testing/'))
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

describe('openapi.json', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp(TEST_ENV)));
  afterAll(async () => t?.close());

  it('describes every route the service serves (npm run openapi writes it again)', async () => {
    const served = (await request(t.server).get('/api/docs-json').expect(200)).body as { paths: Paths };
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8')) as { paths: Paths };
    expect(routes(committed.paths)).toEqual(routes(served.paths));
    expect(routes(served.paths)).toEqual(expect.arrayContaining(['POST /api/staff/invitations', 'GET /api/staff']));
  });
});
