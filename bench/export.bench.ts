/**
 * npm run bench:export [-- --events=1000000 --rounds=3 --profile=export.cpuprofile --profile-format=CSV]
 * The audit export (GET /api/events/export) of a million events on SQLite, through the whole app
 * over real HTTP, next to the raw read rate of the same store measured in the same run: every row of
 * the events table read in order through the same driver, its data and metadata JSON parsed (what any
 * reader of the log must do at least). Also the export as CSV, and the memory the export adds while it
 * streams (peak RSS and heap over the idle app, sampled every 50 ms): flat means it does not grow with
 * the number of events.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { cpus, freemem, totalmem } from 'node:os';
import { constants as perfConstants, PerformanceObserver } from 'node:perf_hooks';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { ProcessorRunner } from '@app/event-processing';
import { auditEvent } from './support/audit-events';
import { SQL_DATABASE, type SqliteDatabase } from '@app/sql';
import { startBenchApp } from './support/bench-app';
import { profiled } from './support/cpu-profile';
import { benchArgs, fmt, timed } from './support/measure';

const args = benchArgs;
const EVENTS = Number(args.get('events') ?? 1_000_000);
const ROUNDS = Number(args.get('rounds') ?? 3);

/** The CPU time this process (the service; the client runs in its own) spent while `fn` ran, in seconds. */
async function withCpu<T>(fn: () => Promise<T>): Promise<{ cpu: number; value: T }> {
  const start = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(start);
  return { cpu: (used.user + used.system) / 1e6, value };
}

/** Young and full garbage collections while `fn` runs: how many, and their pauses in all. */
async function collections<T>(fn: () => Promise<T>): Promise<{ young: GcCount; full: GcCount; value: T }> {
  const young = { count: 0, ms: 0 };
  const full = { count: 0, ms: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      const into = kind === perfConstants.NODE_PERFORMANCE_GC_MINOR ? young : full;
      into.count++;
      into.ms += entry.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    const value = await fn();
    await new Promise((resolve) => setImmediate(resolve));
    return { young, full, value };
  } finally {
    observer.disconnect();
  }
}

interface GcCount {
  count: number;
  ms: number;
}

const gcText = ({ young, full }: { young: GcCount; full: GcCount }) =>
  `GC: ${young.count} young (${fmt(young.ms)} ms), ${full.count} other (${fmt(full.ms)} ms)`;

/** Peak RSS and heap above the level when it started, while `fn` runs. */
async function peakMemory<T>(fn: () => Promise<T>): Promise<{ rss: number; heap: number; value: T }> {
  global.gc?.();
  const base = process.memoryUsage();
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const now = process.memoryUsage();
    rss = Math.max(rss, now.rss - base.rss);
    heap = Math.max(heap, now.heapUsed - base.heapUsed);
  };
  const timer = setInterval(sample, 50);
  try {
    const value = await fn();
    sample();
    return { rss, heap, value };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Reads the whole answer as it streams with curl in its own process (as an auditor's client would:
 * the service's process does only the service's work), counting lines and bytes with one `wc`; nothing
 * is kept.
 */
function download(url: string, headers: Record<string, string>): Promise<{ lines: number; bytes: number }> {
  const flags = Object.entries(headers)
    .map(([name, value]) => `-H '${name}: ${value}'`)
    .join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `set -o pipefail; curl -sS --fail ${flags} '${url}' | wc -lc`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(counted(out)) : reject(new Error(err))));
  });
}

/** `wc -lc` prints the lines, then the bytes. */
function counted(out: string): { lines: number; bytes: number } {
  const [lines, bytes] = out.trim().split(/\s+/).map(Number);
  return { lines, bytes };
}

async function main(): Promise<void> {
  const bench = await startBenchApp();
  const store = bench.app.get<EventStore>(EVENT_STORE);
  const db = bench.app.get<SqliteDatabase>(SQL_DATABASE);
  const actorId = JSON.parse(Buffer.from(bench.auth.Authorization.split('.')[1], 'base64url').toString('utf8'))
    .sub as string;
  console.log(`filling SQLite with ${fmt(EVENTS)} events…`);
  for (let n = 0; n < EVENTS; n += 10_000)
    await store.appendToStreams(
      Array.from({ length: Math.min(10_000, EVENTS - n) }, (_, i) => ({
        stream: `benchAudit-${randomUUID()}`,
        events: [auditEvent(n + i, bench.deployment, actorId)],
        expectedRevision: 'no_stream' as const,
      })),
    );
  // The integrity chain's keeper reads every new event too: let it finish before anything is timed.
  await bench.app.get(ProcessorRunner).waitUntilCaughtUp(undefined, 600_000);
  const total = Number((db.reader.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n);
  await new Promise<void>((resolve) => bench.server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(bench.server.address() as AddressInfo).port}/api/events/export`;

  const rawRead = () =>
    timed(async () => {
      let n = 0;
      const rows = db.reader.prepare('SELECT data, metadata FROM events ORDER BY position').raw(true).iterate();
      for (const row of rows as Iterable<string[]>) {
        JSON.parse(row[0]);
        JSON.parse(row[1]);
        n++;
      }
      return n;
    });
  const rate = (seconds: number) => total / seconds;
  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model}, ${fmt(totalmem() / 2 ** 30)} GiB (${fmt(freemem() / 2 ** 30)} free), Node ${process.version}`,
  );
  console.log(`events in the store: ${fmt(total)}`);
  // The machine's noise moves a single figure by a third: the raw read and the exports alternate, each
  // round's ratios are printed, and the median ratio is the figure.
  const formats: { name: string; headers: Record<string, string> }[] = [
    { name: 'NDJSON', headers: {} },
    { name: 'CSV', headers: { Accept: 'text/csv' } },
  ];
  const ratios = new Map<string, number[]>(formats.map(({ name }) => [name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    const { cpu: rawCpu, value: raw } = await withCpu(rawRead);
    console.log(
      `round ${round}: raw read (driver, in order, data and metadata parsed) ${fmt(rate(raw.seconds))} events/s ` +
        `(${raw.seconds.toFixed(2)} s; CPU ${((rawCpu / total) * 1e6).toFixed(2)} µs/event)`,
    );
    for (const format of formats) {
      const gc = await collections(() =>
        profiled(
          round === 1 && format.name === (args.get('profile-format') ?? 'NDJSON') ? args.get('profile') : undefined,
          () => peakMemory(() => withCpu(() => timed(() => download(url, { ...bench.auth, ...format.headers })))),
        ),
      );
      const exported = gc.value;
      const { cpu, value: timedDownload } = exported.value;
      const { seconds, value } = timedDownload;
      ratios.get(format.name)!.push(raw.seconds / seconds);
      console.log(
        `  export ${format.name} over HTTP ${fmt(rate(seconds))} events/s (${seconds.toFixed(2)} s, ` +
          `${fmt(value.lines)} lines, ${fmt(value.bytes / 2 ** 20)} MiB) = ${((raw.seconds / seconds) * 100).toFixed(0)}% of raw; ` +
          `the service's CPU ${((cpu / total) * 1e6).toFixed(2)} µs/event; peak +${fmt(exported.rss / 2 ** 20)} MiB RSS, +${fmt(exported.heap / 2 ** 20)} MiB heap; ${gcText(gc)}`,
      );
    }
  }
  for (const [name, each] of ratios) {
    const sorted = [...each].sort((a, b) => a - b);
    console.log(
      `export ${name}, median of ${ROUNDS} rounds: ${(sorted[Math.floor(ROUNDS / 2)] * 100).toFixed(0)}% of raw`,
    );
  }
  await bench.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
