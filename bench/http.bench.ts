/**
 * npm run bench:http [-- --invitations=1000000 --seconds=20 --connections=50 --only=list,me --soak=600
 *   --profile-rebuild=rebuild.cpuprofile --profile-cases=cases.cpuprofile --postgres=postgres://…/db]
 * What a user waits for at the HTTP edge, on SQLite (or PostgreSQL with --postgres): `invitations`
 * invitations in one deployment, appended through the store (InvitationIssued events, as the service writes them, in large batches)
 * and projected into the list, then autocannon on loopback with `connections` connections for
 * `seconds` each: the list's first page, a page 4,000 rows deep, an email search, one invitation,
 * the public peek with a valid token, and GET /api/me. Baseline in the same run: the same framework
 * and platform (Nest on Express) answering a constant JSON body of the list page's size from a route
 * with no guard. The load comes from autocannon in its own process. Prints req/s, p50, p99, the ratio to the baseline, and the process's RSS.
 * `--soak=600` then keeps the list's first page under the same load for that many seconds and prints
 * the process's RSS and heap minute by minute (sampled every 5 s): flat means nothing accumulates.
 */
import type { AddressInfo } from 'node:net';
import { cpus, totalmem } from 'node:os';
import request from 'supertest';
import { ProcessorRunner } from '@app/event-processing';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { InvitationTokens } from '@app/invitations';
import { startBenchApp } from './support/bench-app';
import { seedInvitations } from './support/seed-invitations';
import { constantApp, type Figures, load, print } from './support/http-load';
import { benchArgs, fmt } from './support/measure';
import { profiled } from './support/cpu-profile';
import { benchSchema } from './support/postgres-schema';

const INVITATIONS = Number(benchArgs.get('invitations') ?? 1_000_000);
const SECONDS = Number(benchArgs.get('seconds') ?? 20);
const CONNECTIONS = Number(benchArgs.get('connections') ?? 50);
const ONLY = benchArgs.get('only')?.split(',');
const SOAK = Number(benchArgs.get('soak') ?? 0);
/** A PostgreSQL database to run on instead of SQLite (a schema of its own, dropped after). */
const POSTGRES = benchArgs.get('postgres');

/** The list's first page under load for SOAK seconds; memory minute by minute. */
async function soak(url: string, headers: Record<string, string>, baseline: Figures): Promise<void> {
  const samples: { at: number; rss: number; heap: number }[] = [];
  const start = Date.now();
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    samples.push({ at: (Date.now() - start) / 1000, rss, heap: heapUsed });
  };
  sample();
  const sampling = setInterval(sample, 5000);
  const figures = await load(`list, first page, ${SOAK} s`, url, { headers, connections: CONNECTIONS, duration: SOAK });
  clearInterval(sampling);
  sample();
  print(figures, baseline);
  const mib = (b: number) => (b / 2 ** 20).toFixed(0).padStart(5);
  console.log('minute   RSS min–max (MiB)   heap used min–max (MiB)');
  for (let minute = 0; minute * 60 < SOAK; minute++) {
    const inMinute = samples.filter(({ at }) => at >= minute * 60 && at < (minute + 1) * 60);
    if (!inMinute.length) continue;
    const range = (values: number[]) => `${mib(Math.min(...values))}–${mib(Math.max(...values))}`;
    console.log(
      `${String(minute + 1).padStart(6)}   ${range(inMinute.map((s) => s.rss)).padEnd(18)}  ${range(inMinute.map((s) => s.heap))}`,
    );
  }
}

async function main(): Promise<void> {
  const postgres = POSTGRES ? await benchSchema(POSTGRES, 'http') : null;
  const bench = await startBenchApp({ PUBLIC_RATE_LIMIT: '1000000', ...postgres?.env });
  const runner = bench.app.get(ProcessorRunner);
  // Only the list is needed (1,000,000 invitations would otherwise queue 1,000,000 emails), built as a
  // replay builds it: in large transactions.
  await runner.stop();
  const me = (await request(bench.server).get('/api/me').set(bench.auth)).body;
  const seeded = Date.now();
  await seedInvitations(bench.app.get<EventStore>(EVENT_STORE), INVITATIONS, bench.deployment, me.id);
  const rebuilding = Date.now();
  await profiled(benchArgs.get('profile-rebuild'), () => runner.rebuild('invitation-lists'));
  const rebuilt = Date.now();
  console.log(
    `${fmt(INVITATIONS)} invitations appended in ${fmt((rebuilding - seeded) / 1000)} s; the invitation list ` +
      `rebuilt from them in ${fmt((rebuilt - rebuilding) / 1000)} s = ` +
      `${fmt(INVITATIONS / ((rebuilt - rebuilding) / 1000))} events/s`,
  );

  await new Promise<void>((resolve) => bench.server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(bench.server.address() as AddressInfo).port}/api`;
  const list = `${base}/deployments/${bench.deployment}/invitations`;
  const first = (await request(bench.server).get(`/api/deployments/${bench.deployment}/invitations`).set(bench.auth))
    .body;
  let cursor: string = first.nextCursor;
  for (let page = 1; page < 80; page++)
    cursor = (
      await request(bench.server)
        .get(`/api/deployments/${bench.deployment}/invitations?cursor=${encodeURIComponent(cursor)}`)
        .set(bench.auth)
    ).body.nextCursor;
  const one = first.items[0];
  let nonce = '';
  for await (const e of bench.app.get<EventStore>(EVENT_STORE).readStream(`invitation-${one.id}`))
    nonce = String(e.data.nonce);
  const token = bench.app.get(InvitationTokens).personalUrl(one.id, nonce).split('/invite/')[1];

  const constant = await constantApp(Buffer.byteLength(JSON.stringify(first)));
  const cases: [string, string, Record<string, string>][] = [
    ['list, first page', list, bench.auth],
    ['list, page 4,000 rows deep', `${list}?cursor=${encodeURIComponent(cursor)}`, bench.auth],
    ['list, email search', `${list}?q=${encodeURIComponent('patient12345')}`, bench.auth],
    ['GET /api/invitations/{id}', `${base}/invitations/${one.id}`, bench.auth],
    ['public peek, valid token', `${base}/public/invitations/${token}`, {}],
    ['GET /api/me', `${base}/me`, bench.auth],
  ];
  const settings = { connections: CONNECTIONS, duration: SECONDS };
  const rss: number[] = [];
  const sampling = setInterval(() => rss.push(process.memoryUsage().rss), 1000);
  const baseline = await load('baseline: constant JSON, no guard', constant.url, settings);
  const results: Figures[] = [];
  await profiled(benchArgs.get('profile-cases'), async () => {
    for (const [label, url, headers] of cases)
      if (!ONLY || ONLY.some((o) => label.includes(o))) results.push(await load(label, url, { ...settings, headers }));
  });
  clearInterval(sampling);

  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model}, ${fmt(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  console.log(
    `${fmt(INVITATIONS)} invitations, ${CONNECTIONS} connections, ${SECONDS} s each, ${POSTGRES ? 'PostgreSQL' : 'SQLite'}`,
  );
  print(baseline, null);
  for (const figures of results) print(figures, baseline);
  const mib = (b: number) => fmt(b / 2 ** 20);
  console.log(
    `RSS while measured (MiB, once a second): first ${mib(rss[0])}, max ${mib(Math.max(...rss))}, last ${mib(rss[rss.length - 1])}`,
  );
  if (SOAK) await soak(list, bench.auth, baseline);
  await constant.close();
  await bench.close();
  await postgres?.drop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
