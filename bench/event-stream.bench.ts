/**
 * npm run bench:event-stream [-- --rate=100 --seconds=20 --postgres=postgres://…/db]
 * The live event stream (GET /api/events/stream): events appended at a steady rate, the time from
 * each append to its arrival at a client in its own process, p50 / p99 / max. On SQLite one instance
 * appends and streams; with --postgres two instances share a fresh schema, one appending and the
 * other streaming (what another instance's events cost: it finds them by reading again). Baseline in
 * the same run: the same client reading the same messages from a bare Node HTTP server that writes
 * each one the moment it is "appended" (what transport alone costs on this machine).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { startBenchApp } from './support/bench-app';
import { benchSchema } from './support/postgres-schema';
import { benchArgs, fmt } from './support/measure';

const RATE = Number(benchArgs.get('rate') ?? 100);
const SECONDS = Number(benchArgs.get('seconds') ?? 20);
const COUNT = RATE * SECONDS;

function listen(url: string, headers: Record<string, string>): { ready: Promise<void>; arrivals: Promise<number[]> } {
  const child = spawn(
    process.execPath,
    [join(__dirname, 'support', 'sse-listener.js'), url, JSON.stringify(headers), String(COUNT)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  const arrivals = new Promise<number[]>((resolve, reject) =>
    child.on('close', (code) =>
      code === 0
        ? resolve(
            out
              .split('\n')
              .filter(Boolean)
              .map((line) => line.split(' ').map(Number))
              .map(([at, sent]) => at - sent),
          )
        : reject(new Error(`listener exited ${code}`)),
    ),
  );
  // Give the client time to connect before the first event: the stream starts from now.
  const ready = new Promise<void>((resolve) => setTimeout(resolve, 1500));
  return { ready, arrivals };
}

/** Calls `tick(n)` RATE times a second, on schedule (a late tick does not delay the next ones). */
async function atRate(tick: (n: number) => Promise<void> | void): Promise<void> {
  const start = Date.now();
  for (let n = 0; n < COUNT; n++) {
    const due = start + (n * 1000) / RATE;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    await tick(n);
  }
}

function summary(label: string, latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return `${label.padEnd(48)} ${fmt(sorted.length)} events   p50 ${at(0.5)} ms   p99 ${at(0.99)} ms   max ${sorted[sorted.length - 1]} ms`;
}

async function baseline(): Promise<number[]> {
  const clients: import('node:http').ServerResponse[] = [];
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    clients.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { ready, arrivals } = listen(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {});
  await ready;
  await atRate((n) => {
    for (const res of clients) res.write(`id: ${n}\nevent: Tick\ndata: {"data":{"sentAt":${Date.now()}}}\n\n`);
  });
  const result = await arrivals;
  server.closeAllConnections();
  server.close();
  return result;
}

/** One instance on SQLite, or two sharing a fresh PostgreSQL schema: the first appends, the last streams. */
async function instances() {
  const pg = benchArgs.get('postgres');
  if (!pg) {
    const only = await startBenchApp();
    return { writer: only, reader: only, label: 'SQLite, one instance', close: () => only.close() };
  }
  const { env, drop } = await benchSchema(pg, 'stream');
  const writer = await startBenchApp(env);
  const reader = await startBenchApp(env);
  return {
    writer,
    reader,
    label: 'PostgreSQL, appended on one instance, streamed from another',
    close: async () => {
      await writer.close();
      await reader.close();
      await drop();
    },
  };
}

async function main(): Promise<void> {
  const { writer, reader, label, close } = await instances();
  const bench = reader;
  const store = writer.app.get<EventStore>(EVENT_STORE);
  await new Promise<void>((resolve) => bench.server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(bench.server.address() as AddressInfo).port}/api/events/stream?types=BenchTick`;
  console.log(`${fmt(COUNT)} events at ${RATE}/s…`);
  const bare = await baseline();
  const { ready, arrivals } = listen(url, bench.auth);
  await ready;
  await atRate(async () => {
    await store.appendToStream(
      `benchTick-${randomUUID()}`,
      [
        {
          id: randomUUID(),
          type: 'BenchTick',
          schemaVersion: 1,
          data: { sentAt: Date.now() },
          metadata: { actor: { type: 'system' }, deploymentId: bench.deployment },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
  });
  const streamed = await arrivals;
  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model}, ${fmt(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  console.log(summary('baseline: bare Node SSE server, same client', bare));
  console.log(summary(`GET /api/events/stream, append → client (${label})`, streamed));
  await close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
