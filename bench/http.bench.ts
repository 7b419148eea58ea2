/**
 * npm run bench:http [-- --invitations=1000000 --seconds=20 --connections=50 --only=list,me]
 * What a user waits for at the HTTP edge, on SQLite: `invitations` invitations in one deployment,
 * appended through the store (InvitationIssued events, as the service writes them, in large batches)
 * and projected into the list, then autocannon on loopback with `connections` connections for
 * `seconds` each: the list's first page, a page 4,000 rows deep, an email search, one invitation,
 * the public peek with a valid token, and GET /api/me. Baseline in the same run: the same framework
 * and platform (Nest on Express) answering a constant JSON body of the list page's size from a route
 * with no guard. The load comes from autocannon in its own process. Prints req/s, p50, p99, the ratio to the baseline, and the process's RSS.
 */
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { cpus, totalmem } from 'node:os';
import request from 'supertest';
import { ProcessorRunner } from '@app/event-processing';
import { EVENT_STORE, type EventStore, type StreamAppend } from '@app/event-store';
import { InvitationTokens } from '@app/invitations';
import { startBenchApp } from './support/bench-app';
import { benchArgs, fmt } from './support/measure';

const INVITATIONS = Number(benchArgs.get('invitations') ?? 1_000_000);
const SECONDS = Number(benchArgs.get('seconds') ?? 20);
const CONNECTIONS = Number(benchArgs.get('connections') ?? 50);
const ONLY = benchArgs.get('only')?.split(',');

interface Figures {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(label: string, url: string, headers: Record<string, string> = {}): Promise<Figures> {
  const options: autocannon.Options = { url, connections: CONNECTIONS, duration: SECONDS, headers };
  const child = spawn(
    process.execPath,
    [join(__dirname, 'support', 'load-from-other-process.js'), JSON.stringify(options)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  await new Promise((resolve) => child.on('close', resolve));
  const result = JSON.parse(out) as autocannon.Result;
  const errors = result.errors + result.timeouts + result.non2xx;
  return { label, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors };
}

/** Nest on Express, one route, no guard, no interceptor: a constant JSON body of `bytes` bytes. */
async function baselineApp(bytes: number): Promise<{ url: string; close(): Promise<void> }> {
  const body = { items: [{ pad: 'x'.repeat(Math.max(0, bytes - 24)) }], nextCursor: null };
  @Controller()
  class ConstantController {
    @Get('constant')
    constant() {
      return body;
    }
  }
  @Module({ controllers: [ConstantController] })
  class ConstantModule {}
  const app = await NestFactory.create<NestExpressApplication>(ConstantModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/constant`,
    close: () => app.close(),
  };
}

/** InvitationIssued events, as the service writes them, appended below the personal-data sealing (it would take minutes). */
async function seed(store: EventStore, deploymentId: string, staffId: string): Promise<void> {
  const inner = (store as unknown as { inner: EventStore }).inner;
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < INVITATIONS; i += 20_000) {
    const appends: StreamAppend[] = [];
    for (let j = i; j < Math.min(INVITATIONS, i + 20_000); j++) {
      const invitationId = randomUUID();
      const issuedAt = new Date(start + j * 1000).toISOString();
      appends.push({
        stream: `invitation-${invitationId}`,
        expectedRevision: 'no_stream',
        events: [
          {
            id: randomUUID(),
            type: 'InvitationIssued',
            schemaVersion: 1,
            data: {
              invitationId,
              email: `patient${j}@example.org`,
              deploymentId,
              channel: 'email',
              linkId: null,
              expiresAt: new Date(Date.parse(issuedAt) + 365 * 86_400_000 * 2).toISOString(),
              expiresIn: '1y',
              nonce: randomUUID(),
            },
            metadata: {
              actor: { type: 'staff', id: staffId },
              correlationId: randomUUID(),
              causationId: randomUUID(),
              occurredAt: issuedAt,
              deploymentId,
            },
          },
        ],
      });
    }
    await inner.appendToStreams(appends);
  }
}

function print(figures: Figures, baseline: Figures | null): void {
  const ratio = baseline ? `${fmt((figures.rps / baseline.rps) * 100)} %` : '';
  console.log(
    `${figures.label.padEnd(40)} ${fmt(figures.rps).padStart(7)} req/s   p50 ${String(figures.p50).padStart(4)} ms   ` +
      `p99 ${String(figures.p99).padStart(4)} ms   ${ratio.padStart(6)}${figures.errors ? `   ${figures.errors} errors` : ''}`,
  );
}

async function main(): Promise<void> {
  const bench = await startBenchApp({ PUBLIC_RATE_LIMIT: '1000000' });
  const runner = bench.app.get(ProcessorRunner);
  // Only the list is needed (1,000,000 invitations would otherwise queue 1,000,000 emails), built as a
  // replay builds it: in large transactions.
  await runner.stop();
  const me = (await request(bench.server).get('/api/me').set(bench.auth)).body;
  const seeded = Date.now();
  await seed(bench.app.get<EventStore>(EVENT_STORE), bench.deployment, me.id);
  await runner.rebuild('invitation-lists');
  console.log(`${fmt(INVITATIONS)} invitations appended and projected in ${fmt((Date.now() - seeded) / 1000)} s`);

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

  const constant = await baselineApp(Buffer.byteLength(JSON.stringify(first)));
  const cases: [string, string, Record<string, string>][] = [
    ['list, first page', list, bench.auth],
    ['list, page 4,000 rows deep', `${list}?cursor=${encodeURIComponent(cursor)}`, bench.auth],
    ['list, email search', `${list}?q=${encodeURIComponent('patient12345')}`, bench.auth],
    ['GET /api/invitations/{id}', `${base}/invitations/${one.id}`, bench.auth],
    ['public peek, valid token', `${base}/public/invitations/${token}`, {}],
    ['GET /api/me', `${base}/me`, bench.auth],
  ];
  const rss: number[] = [];
  const sampling = setInterval(() => rss.push(process.memoryUsage().rss), 1000);
  const baseline = await load('baseline: constant JSON, no guard', constant.url);
  const results: Figures[] = [];
  for (const [label, url, headers] of cases)
    if (!ONLY || ONLY.some((o) => label.includes(o))) results.push(await load(label, url, headers));
  clearInterval(sampling);

  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model}, ${fmt(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  console.log(`${fmt(INVITATIONS)} invitations, ${CONNECTIONS} connections, ${SECONDS} s each, SQLite`);
  print(baseline, null);
  for (const figures of results) print(figures, baseline);
  const mib = (b: number) => fmt(b / 2 ** 20);
  console.log(
    `RSS while measured (MiB, once a second): first ${mib(rss[0])}, max ${mib(Math.max(...rss))}, last ${mib(rss[rss.length - 1])}`,
  );
  await constant.close();
  await bench.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
