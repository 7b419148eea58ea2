/**
 * npm run bench:projection-lag [-- --rate=100 --seconds=20 --postgres=postgres://…/db]
 * How long after an append an invitation shows in the list: InvitationIssued events appended through
 * the store (sealed, as the service writes them) at a steady rate while every processor runs (the
 * mail sender too), and a poller that looks for the oldest row not yet seen every 2 ms. p50 / p99 / max on SQLite,
 * and on PostgreSQL with --postgres. Baseline in the same run: the same poller finding rows the
 * benchmark inserts into the list itself at the same rate (what observing costs). The disk's flush time
 * is measured before and after the SQLite run.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { startBenchApp } from './support/bench-app';
import { benchSchema } from './support/postgres-schema';
import { benchArgs, fmt } from './support/measure';

const RATE = Number(benchArgs.get('rate') ?? 100);
const SECONDS = Number(benchArgs.get('seconds') ?? 20);
const COUNT = RATE * SECONDS;
const POLL_MS = 2;

/** Appends (or inserts) one invitation per tick on schedule, and notes when each row is first seen in the list. */
async function lags(db: SqlDatabase, add: (id: string, n: number) => Promise<void>): Promise<number[]> {
  const sent = new Map<string, number>();
  const seen: number[] = [];
  let polling = true;
  // Rows arrive in log order, so only the oldest row not yet seen is looked for (one statement of one
  // shape: a growing IN list would make the poller the slowest part).
  const poller = (async () => {
    while (polling || sent.size) {
      for (const [id, at] of sent) {
        const found = await db.query('SELECT 1 AS found FROM invitation_list WHERE id = $1', [id]);
        if (!found.length) break;
        seen.push(performance.now() - at);
        sent.delete(id);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  const start = performance.now();
  for (let n = 0; n < COUNT; n++) {
    const due = start + (n * 1000) / RATE;
    if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
    const id = randomUUID();
    sent.set(id, performance.now());
    await add(id, n);
  }
  polling = false;
  await poller;
  return seen;
}

function issued(invitationId: string, n: number, deploymentId: string) {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    type: 'InvitationIssued',
    schemaVersion: 1,
    data: {
      invitationId,
      email: `lag${n}.${invitationId.slice(0, 6)}@example.org`,
      deploymentId,
      channel: 'email',
      linkId: null,
      expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      expiresIn: '7d',
      nonce: randomUUID(),
    },
    metadata: { actor: { type: 'system', id: randomUUID() }, occurredAt: at, deploymentId },
  };
}

function summary(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(0);
  return `${label.padEnd(56)} ${fmt(sorted.length)} rows   p50 ${at(0.5)} ms   p99 ${at(0.99)} ms   max ${sorted[sorted.length - 1].toFixed(0)} ms`;
}

/**
 * What one flush to disk costs right now, where the SQLite file lives: 200 writes of 4 KiB, each
 * followed by fdatasync. The lag on SQLite follows it (every durable commit waits for one), and on
 * this machine it moves by an order of magnitude from one hour to the next.
 */
function diskFlush(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-flush-'));
  const fd = openSync(join(dir, 'probe'), 'w');
  const times: number[] = [];
  try {
    for (let i = 0; i < 200; i++) {
      writeSync(fd, Buffer.alloc(4096, i));
      const start = performance.now();
      fdatasyncSync(fd);
      times.push(performance.now() - start);
    }
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return `disk flush (4 KiB + fdatasync, 200 times): p50 ${times[100].toFixed(2)} ms, p99 ${times[197].toFixed(2)} ms`;
}

async function run(label: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const bench = await startBenchApp(env);
  try {
    const db = bench.app.get<SqlDatabase>(SQL_DATABASE);
    const store = bench.app.get<EventStore>(EVENT_STORE);
    const baseline = await lags(db, (id) =>
      db
        .execute(
          `INSERT INTO invitation_list (id, deployment_id, email, status, channel, link_id, issued_at, issued_by,
             expires_at, expires_in, send_count, last_sent_at, email_status)
           VALUES ($1, $2, $3, 'pending', 'email', NULL, $4, 'bench', $4, '7d', 1, $4, 'queued')`,
          [id, randomUUID(), `raw.${id}@example.org`, new Date().toISOString()],
        )
        .then(() => undefined),
    );
    const projected = await lags(db, (id, n) =>
      store
        .appendToStream(`invitation-${id}`, [issued(id, n, bench.deployment)], { expectedRevision: 'no_stream' })
        .then(() => undefined),
    );
    return [
      summary(`baseline: rows inserted into the list directly (${label})`, baseline),
      summary(`append → row in the list (${label})`, projected),
    ];
  } finally {
    await bench.close();
  }
}

async function main(): Promise<void> {
  console.log(`${fmt(COUNT)} invitations at ${RATE}/s…`);
  const lines = [diskFlush(), ...(await run('SQLite', {})), diskFlush()];
  const pg = benchArgs.get('postgres');
  if (pg) {
    const { env, drop } = await benchSchema(pg, 'lag');
    try {
      lines.push(...(await run('PostgreSQL', env)));
    } finally {
      await drop();
    }
  }
  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model}, ${fmt(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  for (const line of lines) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
