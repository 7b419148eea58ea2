import request from 'supertest';
import { ProcessorRunner } from '@app/event-processing';
import type { TestApp } from './test-app';

export const ADMIN = { email: 'admin@example.org', password: 'correct horse battery staple 42' };
export const TEST_ENV = {
  BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
  BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
  PASSWORD_HASH_COST: '10',
  PUBLIC_RATE_LIMIT: '100000',
};

export async function login(t: TestApp, email: string, password: string): Promise<string> {
  const res = await request(t.server).post('/api/auth/login').send({ email, password }).expect(200);
  return res.body.accessToken;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Waits until every processor has handled the log as it stands: read models are then current. */
export async function settled(t: TestApp): Promise<void> {
  await t.app.get(ProcessorRunner).waitUntilCaughtUp();
}

export async function createStaff(
  t: TestApp,
  token: string,
  body: { email: string; role: string; deploymentIds?: string[]; name?: string },
  password = 'a sturdy passphrase 1',
) {
  await request(t.server)
    .post('/api/staff')
    .set(bearer(token))
    .send({ ...body, password })
    .expect(201);
  return login(t, body.email, password);
}

/** The first deployment the caller sees: the Default one a fresh service starts with, for the Admin. */
export async function firstDeployment(t: TestApp, token: string): Promise<string> {
  return (await request(t.server).get('/api/deployments').set(bearer(token)).expect(200)).body.items[0].id;
}

/** A new deployment's id. */
export async function newDeployment(t: TestApp, token: string, name: string): Promise<string> {
  return (await request(t.server).post('/api/deployments').set(bearer(token)).send({ name }).expect(201)).body.id;
}
