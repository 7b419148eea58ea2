import request from 'supertest';
import { bearer, createStaff } from './identity';
import type { TestApp } from './test-app';

/** The whole audit feed for a caller, page after page (`query`: more filters, starting with `&`). */
export async function wholeFeed<E = Record<string, unknown>>(t: TestApp, token: string, query = ''): Promise<E[]> {
  const events: E[] = [];
  for (let after = ''; ;) {
    const page = await request(t.server)
      .get(`/api/events?after=${after}&limit=1000${query}`)
      .set(bearer(token))
      .expect(200);
    events.push(...page.body.events);
    if (page.body.events.length === 0 || page.body.nextPosition === after) return events;
    after = page.body.nextPosition;
  }
}

/** A member of staff who may read the log of one deployment only: a custom role holding view_audit_log. */
export async function deploymentAuditor(t: TestApp, admin: string, deploymentId: string, email: string) {
  const role = `Auditor-${deploymentId.slice(0, 8)}`;
  await request(t.server)
    .post('/api/roles')
    .set(bearer(admin))
    .send({ name: role, permissions: ['view_audit_log'] })
    .expect(201);
  return createStaff(t, admin, { email, role, deploymentIds: [deploymentId] });
}
