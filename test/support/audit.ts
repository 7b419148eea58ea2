import request from 'supertest';
import { bearer } from './identity';
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
