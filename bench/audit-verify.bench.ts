/**
 * npm run bench:audit-verify [-- --events=1000000]
 * The integrity chain on SQLite: how fast the keeper chains a million events, and how fast
 * `verifyChain` (what npm run audit:verify runs) checks them, next to the raw read rate of the same
 * store in the same run: every row of the events table read in order through the same driver, with
 * nothing done to it. Target: verification at ≥ 200,000 events/s.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { ControllableClock } from '@app/clock';
import { ProcessorRunner } from '@app/event-processing';
import { openEventStore, openSqlDatabase, type StoreLocation } from '@app/event-store-adapters';
import { EventChainKeeper, eventChainMigrations, verifyChain } from '@app/integrity';
import { migrate, type SqliteDatabase } from '@app/sql';
import { verifyInWorkers } from '../apps/api/audit/verify-in-workers';
import { auditEvent } from './support/audit-events';
import { benchArgs, fmt, timed } from './support/measure';

const args = benchArgs;
const EVENTS = Number(args.get('events') ?? 1_000_000);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-chain-'));
  const clock = new ControllableClock();
  const location: StoreLocation = { kind: 'sqlite', dataDir: dir };
  const db = openSqlDatabase(location) as SqliteDatabase;
  try {
    const store = await openEventStore(location, db, clock);
    await migrate(db, 'integrity', eventChainMigrations);
    console.log(`filling SQLite with ${fmt(EVENTS)} events…`);
    const deployment = randomUUID();
    const actor = randomUUID();
    for (let n = 0; n < EVENTS; n += 10_000)
      await store.appendToStreams(
        Array.from({ length: Math.min(10_000, EVENTS - n) }, (_, i) => ({
          stream: `benchAudit-${randomUUID()}`,
          events: [auditEvent(n + i, deployment, actor)],
          expectedRevision: 'no_stream' as const,
        })),
      );

    const runner = new ProcessorRunner(store, db, clock, { pollMs: 5 });
    runner.register(new EventChainKeeper());
    const chaining = await timed(async () => {
      runner.start();
      await runner.waitUntilCaughtUp(undefined, 3_600_000);
      await runner.stop();
    });
    const raw = await timed(async () => {
      let n = 0;
      const rows = db.reader.prepare('SELECT * FROM events ORDER BY position').raw(true).iterate();
      for (const _ of rows) n++;
      return n;
    });
    const oneThread = await timed(() => verifyChain(store, db));
    const threads = await timed(() => verifyInWorkers(location, db, []));
    for (const { value } of [oneThread, threads])
      if (value.broken || value.verified !== EVENTS) throw new Error(`verification failed: ${JSON.stringify(value)}`);

    const rate = (seconds: number) => EVENTS / seconds;
    console.log(
      `\nmachine: ${cpus().length} × ${cpus()[0]?.model}, ${fmt(totalmem() / 2 ** 30)} GiB (${fmt(freemem() / 2 ** 30)} free), Node ${process.version}`,
    );
    console.log(`events: ${fmt(EVENTS)}`);
    console.log(
      `raw read (driver, in order, every column): ${fmt(rate(raw.seconds))} events/s (${raw.seconds.toFixed(1)} s)`,
    );
    for (const [name, run] of [
      ['verify, one thread (verifyChain)', oneThread],
      [`verify, ${availableParallelism()} threads (npm run audit:verify)`, threads],
    ] as const)
      console.log(
        `${name}: ${fmt(rate(run.seconds))} events/s (${run.seconds.toFixed(1)} s) = ` +
          `${((raw.seconds / run.seconds) * 100).toFixed(0)}% of raw; target ≥ 200,000 events/s`,
      );
    console.log(`chain the log (keeper, batches of 2,000): ${fmt(rate(chaining.seconds))} events/s`);
    await store.close();
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
