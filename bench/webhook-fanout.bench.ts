/**
 * npm run bench:webhooks [-- --events=10000 --endpoints=10 --delay=20 --single=1000]
 * Webhook fan-out: `events` invitations issued in one request, delivered to `endpoints` receivers
 * (in their own process) that each answer after `delay` ms. Deliveries per second = events ×
 * endpoints / time from the request to the last answer. Endpoints taking up to 100 events per
 * delivery, then (with `single` events) endpoints taking one per delivery, whose ceiling is
 * endpoints × 1000 / delay. Baseline in the same run: a bare Node client POSTing the same number of
 * events to the same kind of receivers, 100 per request, one request in flight per receiver.
 */
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startBenchApp } from './support/bench-app';
import { benchArgs, fmt } from './support/measure';

const EVENTS = Number(benchArgs.get('events') ?? 10_000);
const ENDPOINTS = Number(benchArgs.get('endpoints') ?? 10);
const DELAY_MS = Number(benchArgs.get('delay') ?? 20);
const SINGLE = Number(benchArgs.get('single') ?? 1000);

interface Receivers {
  urls: string[];
  /** Resolves once every receiver has `expected` events: ms from the first request to the last answer, requests. */
  done: Promise<{ ms: number; requests: number }>;
}

async function receivers(expected: number): Promise<Receivers> {
  const child = spawn(
    process.execPath,
    [join(__dirname, 'support', 'webhook-receivers.js'), String(ENDPOINTS), String(DELAY_MS), String(expected)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk;
    const parts = out.split('\n');
    out = parts.pop()!;
    for (const line of parts) (waiting.shift() ?? ((l: string) => lines.push(l)))(line);
  });
  const next = () => new Promise<string>((resolve) => (lines.length ? resolve(lines.shift()!) : waiting.push(resolve)));
  const urls = JSON.parse(await next()) as string[];
  const done = next().then((line) => {
    const [ms, requests] = line.split(' ').map(Number);
    return { ms, requests };
  });
  return { urls, done };
}

/** What transport alone costs: the same events, 100 per request, one request in flight per receiver. */
async function baseline(): Promise<number> {
  const { urls, done } = await receivers(EVENTS);
  const event = {
    id: '00000000-0000-4000-8000-000000000000',
    type: 'InvitationIssued',
    data: { email: 'x@example.org' },
  };
  const started = Date.now();
  await Promise.all(
    urls.map(async (url) => {
      for (let sent = 0; sent < EVENTS; sent += 100) {
        const events = Array(Math.min(100, EVENTS - sent)).fill(event);
        const body = JSON.stringify({ type: 'batch', timestamp: new Date().toISOString(), data: { events } });
        await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      }
    }),
  );
  await done;
  return Date.now() - started;
}

async function fanOut(events: number, maxEventsPerDelivery: number): Promise<{ ms: number; requests: number }> {
  const bench = await startBenchApp({ TEST_CLOCK: 'enabled', PUBLIC_RATE_LIMIT: '100000' });
  try {
    const { urls, done } = await receivers(events);
    for (const url of urls)
      await request(bench.server)
        .post('/api/webhooks')
        .set(bench.auth)
        .send({ url, types: ['InvitationIssued'], maxEventsPerDelivery })
        .expect(201);
    // The dispatcher starts endpoints within a second of their registration.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const emails = Array.from({ length: events }, (_, i) => `fan-${i}@example.org`);
    const started = Date.now();
    await request(bench.server)
      .post(`/api/deployments/${bench.deployment}/invitations`)
      .set(bench.auth)
      .send({ emails, expiresIn: '7d' })
      .expect(201);
    const { requests } = await done;
    return { ms: Date.now() - started, requests };
  } finally {
    await bench.close();
  }
}

function line(label: string, events: number, ms: number, requests?: number): string {
  const rate = (events * ENDPOINTS * 1000) / ms;
  const extra = requests === undefined ? '' : `   ${fmt(requests)} requests`;
  return `${label.padEnd(62)} ${fmt(events * ENDPOINTS)} deliveries in ${fmt(ms)} ms   ${fmt(rate)}/s${extra}`;
}

async function main(): Promise<void> {
  console.log(`${fmt(EVENTS)} events × ${ENDPOINTS} endpoints, receivers answering in ${DELAY_MS} ms…`);
  const bare = await baseline();
  const batched = await fanOut(EVENTS, 100);
  const single = SINGLE ? await fanOut(SINGLE, 1) : null;
  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model}, ${fmt(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  console.log(line('baseline: bare Node client, 100 events per request', EVENTS, bare));
  console.log(
    line('service, up to 100 events per delivery (from the invite request)', EVENTS, batched.ms, batched.requests),
  );
  if (single)
    console.log(
      line(
        `service, one event per delivery (ceiling ${fmt((ENDPOINTS * 1000) / DELAY_MS)}/s)`,
        SINGLE,
        single.ms,
        single.requests,
      ),
    );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
