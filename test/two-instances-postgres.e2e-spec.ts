import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { ProcessorRunner } from '@app/event-processing';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, firstDeployment, login } from './support/identity';
import type { TestApp } from './support/test-app';
import { type TwoInstances, twoInstancesOnPostgres } from './support/two-instances';

const TRIALS = 5;
const REQUESTS = 20;
const ADDRESSES = 500;
const ANSWER_WITHIN_MS = 30_000;

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describeWithPostgres('two instances on one PostgreSQL database under concurrent bulk invites', () => {
  let a: TestApp;
  let b: TestApp;
  let instances: TwoInstances;

  beforeAll(async () => {
    instances = await twoInstancesOnPostgres();
    ({ a, b } = instances);
  });
  afterAll(async () => instances?.close());

  it(
    `answers ${REQUESTS} parallel invites of the same ${ADDRESSES} addresses, ${TRIALS} times, and issues ` +
      `each address once`,
    async () => {
      const token = await login(a, ADMIN.email, ADMIN.password);
      const deployment = await firstDeployment(a, token);
      for (let trial = 0; trial < TRIALS; trial++) {
        const emails = Array.from({ length: ADDRESSES }, (_, i) => `t${trial}-p${i}@example.org`);
        const answers = await Promise.all(
          Array.from({ length: REQUESTS }, (_, i) =>
            request((i % 2 ? b : a).server)
              .post(`/api/deployments/${deployment}/invitations`)
              .set(bearer(token))
              .send({ emails: shuffled(emails, trial * 100 + i + 1), expiresIn: '7d' })
              .timeout(ANSWER_WITHIN_MS)
              .then((res) => ({
                status: res.status,
                code: res.body.code as string | undefined,
                issued: (res.body.issued ?? []) as { email: string }[],
              })),
          ),
        );
        for (const answer of answers) {
          expect([201, 409]).toContain(answer.status);
          if (answer.status === 409) expect(answer.code).toBe('write_conflict');
        }
        const issued = answers.flatMap((answer) => answer.issued.map((i) => i.email)).sort();
        expect(issued).toEqual([...emails].sort());
      }
      for (const instance of [a, b]) {
        expect((await request(instance.server).get('/api/health').timeout(ANSWER_WITHIN_MS)).body.status).toBe('ok');
        await instance.app.get(ProcessorRunner).waitUntilCaughtUp(undefined, ANSWER_WITHIN_MS);
      }
      const issuedEvents = new Map<string, number>();
      for await (const e of a.app.get<EventStore>(EVENT_STORE).readAll({ filter: { types: ['InvitationIssued'] } })) {
        issuedEvents.set(e.data.email as string, (issuedEvents.get(e.data.email as string) ?? 0) + 1);
      }
      expect(issuedEvents.size).toBe(TRIALS * ADDRESSES);
      expect([...issuedEvents.values()].every((n) => n === 1)).toBe(true);
    },
    10 * 60_000,
  );
});
