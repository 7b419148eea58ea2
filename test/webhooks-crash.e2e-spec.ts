import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, TEST_ENV } from './support/identity';
import { WebhookReceiver } from './support/webhook-receiver';

const BURST = 10_000;

/** The service as a real process on DATA_DIR, as `npm start` runs it (SQLite, outbox mail). */
function startService(dataDir: string, port: number): ChildProcess {
  // Nothing of the environment the tests run in (CI sets DATABASE_URL): the embedded store only.
  const { DATABASE_URL: _url, EVENT_STORE: _store, ...inherited } = process.env;
  return spawn(
    process.execPath,
    ['-r', join(__dirname, 'support', 'run-typescript.js'), join(__dirname, '..', 'apps', 'api', 'main.ts')],
    {
      env: {
        ...inherited,
        ...TEST_ENV,
        NODE_ENV: 'test',
        DATA_DIR: dataDir,
        PORT: String(port),
        TEST_CLOCK: 'enabled',
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    },
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function untilHealthy(base: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('The service did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function call(base: string, method: string, path: string, token: string | null, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

describe('webhook deliveries across a kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'webhooks-crash-'));
  const receiver = new WebhookReceiver();
  let service: ChildProcess | null = null;

  afterAll(async () => {
    service?.kill('SIGKILL');
    await receiver.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every event of a burst at least once, in order, repeating only what was in flight', async () => {
    const url = await receiver.start();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    service = startService(dataDir, port);
    await untilHealthy(base);
    const { accessToken } = await call(base, 'POST', '/api/auth/login', null, {
      email: ADMIN.email,
      password: ADMIN.password,
    });
    const { id: deploymentId } = await call(base, 'POST', '/api/deployments', accessToken, { name: 'Burst ward' });
    const { secret } = await call(base, 'POST', '/api/webhooks', accessToken, {
      url,
      types: ['InvitationIssued'],
      deploymentId,
    });
    const emails = Array.from({ length: BURST }, (_, i) => `burst-${i}@example.org`);
    await call(base, 'POST', `/api/deployments/${deploymentId}/invitations`, accessToken, { emails, expiresIn: '7d' });

    // Killed in the middle of the deliveries, without a chance to finish anything.
    await receiver.until(() => receiver.received.length >= BURST / 4, 120_000);
    const deadService = service;
    await new Promise<void>((resolve) => {
      deadService.once('exit', () => resolve());
      deadService.kill('SIGKILL');
    });
    const beforeKill = receiver.received.length;
    expect(beforeKill).toBeLessThan(BURST);

    service = startService(dataDir, port);
    await untilHealthy(base);
    await receiver.until(() => new Set(receiver.events().map((e) => e.id)).size === BURST, 180_000);

    const events = receiver.events();
    expect(receiver.received.every((delivery) => WebhookReceiver.verifies(delivery, secret))).toBe(true);
    expect(new Set(events.map((e) => e.data.email))).toEqual(new Set(emails));
    // In log order, except where the restarted service went back to its checkpoint: at most the one
    // delivery in flight at the kill (one event per delivery here) comes again.
    const positions = events.map((e) => e.position);
    const stepsBack = positions.flatMap((p, i) => (i > 0 && p <= positions[i - 1] ? [i] : []));
    expect(stepsBack.length).toBeLessThanOrEqual(1);
    const repeated = events.length - BURST;
    expect(repeated).toBeLessThanOrEqual(1);
    if (stepsBack.length) {
      expect(stepsBack[0]).toBe(beforeKill);
      expect(positions[beforeKill]).toBe(positions[beforeKill - 1]);
    }
  }, 300_000);
});
