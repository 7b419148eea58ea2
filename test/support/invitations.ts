import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { InvitationTokens } from '@app/invitations';
import { bearer } from './identity';
import type { TestApp } from './test-app';

/** Rebuilds the personal link's token from the event log, as the mail sender does (it holds the key). */
export async function personalToken(t: TestApp, invitationId: string): Promise<string> {
  let nonce = '';
  for await (const e of t.app.get<EventStore>(EVENT_STORE).readStream(`invitation-${invitationId}`)) {
    if (typeof e.data.nonce === 'string') nonce = e.data.nonce;
  }
  return t.app.get(InvitationTokens).personalUrl(invitationId, nonce).split('/invite/')[1];
}

export function tokenOfUrl(url: string): string {
  return url.split('/').pop()!;
}

export function invite(t: TestApp, token: string, deploymentId: string, emails: unknown[], expiresIn: unknown = '7d') {
  return request(t.server)
    .post(`/api/deployments/${deploymentId}/invitations`)
    .set(bearer(token))
    .send({ emails, expiresIn });
}

export async function advance(t: TestApp, seconds: number): Promise<string> {
  return (await request(t.server).post('/api/testing/clock/advance').send({ seconds }).expect(200)).body.now;
}

export async function eventsOf(t: TestApp, stream: string) {
  const events = [];
  for await (const e of t.app.get<EventStore>(EVENT_STORE).readStream(stream)) events.push(e);
  return events;
}
