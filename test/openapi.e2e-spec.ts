import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { OpenAPIObject } from '@nestjs/swagger';
import { IDENTITY_PROBLEM_STATUS } from '@app/identity';
import { INVITATION_OTHER_PROBLEMS, INVITATION_PROBLEM_STATUS } from '@app/invitations';
import { WEBHOOK_PROBLEM_STATUS } from '@app/notifications';
import { WEBHOOK_ENDPOINT_PROBLEM_STATUS } from '@app/webhooks';
import { DOCUMENTED_MAIL_SETTINGS, mergeDocuments } from '../apps/api/openapi';
import { restReference } from '../apps/api/rest-reference';
import { TEST_ENV } from './support/identity';
import { startTestApp } from './support/test-app';

type Operation = {
  responses: Record<string, { content?: Record<string, unknown> }>;
  parameters?: { name: string }[];
  'x-problem-codes'?: unknown[];
};

/** What the service serves at /api/docs-json under each documented mail setting, merged, the test clock left out. */
async function served(): Promise<OpenAPIObject> {
  const documents: OpenAPIObject[] = [];
  for (const mail of DOCUMENTED_MAIL_SETTINGS) {
    const t = await startTestApp({ ...TEST_ENV, ...mail });
    try {
      documents.push((await request(t.server).get('/api/docs-json').expect(200)).body as OpenAPIObject);
    } finally {
      await t.close();
    }
  }
  const document = mergeDocuments(documents);
  for (const path of Object.keys(document.paths)) if (path.startsWith('/api/testing/')) delete document.paths[path];
  delete document.components!.schemas!.AdvanceClockDto;
  return document;
}

function operations(document: OpenAPIObject): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, ops]) =>
    Object.entries(ops as Record<string, Operation>).map(([method, op]): [string, Operation] => [
      `${method.toUpperCase()} ${path}`,
      op,
    ]),
  );
}

describe('openapi.json', () => {
  let document: OpenAPIObject;
  const committed = JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8')) as OpenAPIObject;
  beforeAll(async () => (document = await served()));

  it('is what the service serves, route for route and answer for answer (npm run openapi writes it again)', () => {
    expect(operations(committed).map(([name]) => name)).toEqual(operations(document).map(([name]) => name));
    expect(committed).toEqual(document);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/staff/invitations', '/api/webhooks/mailgun', '/api/dev/outbox']),
    );
  });

  it('has its REST reference in docs/, written from it', () => {
    const reference = readFileSync(join(__dirname, '..', 'docs', 'rest-reference.md'), 'utf8');
    expect(reference).toBe(restReference(document));
    expect(reference).toContain('### `PATCH /api/deployments/{deploymentId}/settings`');
  });

  it("describes every operation's success body, except a 204's", () => {
    const missing = operations(document).filter(([, op]) =>
      Object.entries(op.responses).some(([status, r]) => /^2/.test(status) && status !== '204' && !r.content),
    );
    expect(missing.map(([name]) => name)).toEqual([]);
    const refs = [...JSON.stringify(document).matchAll(/"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]);
    expect(refs.filter((name) => !document.components?.schemas?.[name])).toEqual([]);
  });

  it('lists every problem code an operation may answer, under its status, and every code is on some operation', () => {
    const documented = new Set<string>();
    for (const [name, op] of operations(document)) {
      expect([name, Array.isArray(op['x-problem-codes'])]).toEqual([name, true]);
      for (const [status, response] of Object.entries(op.responses)) {
        if (/^2/.test(status)) continue;
        const examples = (response.content?.['application/problem+json'] as { examples: Record<string, unknown> })
          .examples;
        for (const code of Object.keys(examples)) documented.add(code);
      }
    }
    const everyCode = Object.keys({
      ...IDENTITY_PROBLEM_STATUS,
      ...INVITATION_PROBLEM_STATUS,
      ...INVITATION_OTHER_PROBLEMS,
      ...WEBHOOK_PROBLEM_STATUS,
      ...WEBHOOK_ENDPOINT_PROBLEM_STATUS,
    }).filter((code) => code !== 'bootstrap_admin_missing'); // a start-up refusal, never an answer
    expect(everyCode.filter((code) => !documented.has(code))).toEqual([]);
  });

  it('offers the Idempotency-Key header on the writes that honour it, and not on those that ignore it', () => {
    const withKey = (name: string) =>
      operations(document)
        .find(([n]) => n === name)![1]
        .parameters?.some((p) => p.name === 'Idempotency-Key');
    expect(withKey('POST /api/deployments/{deploymentId}/invitations')).toBe(true);
    expect(withKey('POST /api/invitations/{id}/resend')).toBe(true);
    expect(withKey('POST /api/auth/login')).toBeFalsy();
    expect(withKey('POST /api/deployments/{deploymentId}/invitations/csv-preview')).toBeFalsy();
  });
});
