import request from 'supertest';
import { Client } from 'pg';
import { ProcessorRunner } from '@app/event-processing';
import { describeWithPostgres, postgresUrl, temporaryPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, firstDeployment, login, TEST_ENV } from './support/identity';
import { invite } from './support/invitations';
import { TcpProxy } from './support/tcp-proxy';
import { startTestApp, type TestApp, withSearchPath } from './support/test-app';

/** Reads until `ok`; a read that fails while the database recovers (a pooled connection it killed) counts as not yet. */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = await read().then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    if ('value' in outcome && ok(outcome.value)) return outcome.value;
    if (Date.now() > deadline) {
      if ('error' in outcome) throw outcome.error;
      return outcome.value;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeWithPostgres('the database going away under a running instance', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let drop: () => Promise<void>;
  const applicationName = `outage_${process.pid}_${Date.now()}`;

  beforeAll(async () => {
    const pg = await temporaryPostgres();
    drop = pg.drop;
    proxy = await TcpProxy.start(Number(new URL(postgresUrl).port || 5432), new URL(postgresUrl).hostname);
    const url = new URL(withSearchPath(postgresUrl, pg.schema));
    url.port = String(proxy.port);
    url.searchParams.set('application_name', applicationName);
    t = await startTestApp({ ...TEST_ENV, EVENT_STORE: 'postgres', DATABASE_URL: url.toString() });
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await drop?.();
  });

  const health = () =>
    request(t.server)
      .get('/api/health')
      .then((res) => ({ status: res.status, body: res.body as { status: string } }));
  const activeProcessors = async () => (await t.app.get(ProcessorRunner).status()).filter((p) => p.active).length;

  it('survives its connections being terminated, and its processors take their locks again', async () => {
    const processors = t.app.get(ProcessorRunner).names().length;
    expect(await eventually(activeProcessors, (n) => n === processors)).toBe(processors);
    const admin = new Client({ connectionString: postgresUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [applicationName],
      );
      expect(rowCount).toBeGreaterThan(processors);
    } finally {
      await admin.end();
    }
    expect(await eventually(activeProcessors, (n) => n === processors)).toBe(processors);
    const token = await login(t, ADMIN.email, ADMIN.password);
    const deployment = await firstDeployment(t, token);
    await invite(t, token, deployment, ['after-terminate@example.org']).expect(201);
    await t.app.get(ProcessorRunner).waitUntilCaughtUp();
    const list = await request(t.server)
      .get(`/api/deployments/${deployment}/invitations?q=after-terminate`)
      .set(bearer(token))
      .expect(200);
    expect(list.body.items).toHaveLength(1);
  });

  it('says degraded (503) while the database is unreachable and ok again after, without a restart', async () => {
    expect(await health()).toEqual({ status: 200, body: { status: 'ok' } });
    proxy.cut();
    expect(await eventually(health, (h) => h.status === 503)).toEqual({ status: 503, body: { status: 'degraded' } });
    proxy.restore();
    expect(await eventually(health, (h) => h.status === 200)).toEqual({ status: 200, body: { status: 'ok' } });
    const processors = t.app.get(ProcessorRunner).names().length;
    expect(await eventually(activeProcessors, (n) => n === processors)).toBe(processors);
    const token = await login(t, ADMIN.email, ADMIN.password);
    const deployment = await firstDeployment(t, token);
    await invite(t, token, deployment, ['after-outage@example.org']).expect(201);
    await t.app.get(ProcessorRunner).waitUntilCaughtUp();
    // The mail sender lost its lock with its connection too; it takes it again and sends.
    const outbox = () =>
      request(t.server)
        .get('/api/dev/outbox?to=after-outage@example.org')
        .then((res) => res.body.messages as unknown[]);
    expect(await eventually(outbox, (messages) => messages.length === 1)).toHaveLength(1);
  });
});
