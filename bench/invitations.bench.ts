/**
 * npm run bench:invitations [-- bulk|list|as-of] [--profile=bulk.cpuprofile] [--postgres=postgres://…/db]
 * 1. POST /api/deployments/{id}/invitations with 10,000 addresses on SQLite (and, with --postgres, on
 *    PostgreSQL in a schema of its own), through the whole app
 *    over HTTP, from a client in its own process; baseline: appending the same number of events of the
 *    same size (reservation + invitation per address) straight to the store in one call, under type
 *    names nothing reacts to (as invitations, they would set the mail sender and every projection
 *    working through the timed request, and have their addresses sealed).
 * 2. One page of the invitation list with 1,000,000 rows in the read model (one deployment), at the
 *    store level: first pages, deep pages by cursor and filtered pages; baseline: the same page
 *    as a plain SELECT … ORDER BY … LIMIT with the same driver.
 * 3. The same list as of a past instant (`?asOf=`), from its temporal twin holding 1,000,000
 *    invitations' versions (queued, sent, then redeemed or revoked for 2 in 10: 2.2 million rows);
 *    baseline: the plain SELECT of the current list's first page. Target: p99 < 50 ms.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { ProcessorRunner } from '@app/event-processing';
import { SQL_DATABASE, type SqliteDatabase } from '@app/sql';
import { listInvitations } from '../libs/invitations/read-model/invitation-list.query';
import { startBenchApp } from './support/bench-app';
import { profiled } from './support/cpu-profile';
import { benchArgs, latencies } from './support/measure';
import { benchSchema } from './support/postgres-schema';
import { postFromOtherProcess } from './support/post-from-other-process';

/** The bulk invite on one store: `env` chooses it; `targetMs` is issue 18's for that store. */
async function bulkInvite(storeName: string, env: NodeJS.ProcessEnv, targetMs: number): Promise<void> {
  const { app, server, auth, deployment, close } = await startBenchApp(env);
  try {
    const store = app.get<EventStore>(EVENT_STORE);
    const emails = Array.from({ length: 10_000 }, (_, i) => `patient${i}.${randomUUID().slice(0, 6)}@example.org`);
    const rawStart = process.hrtime.bigint();
    await store.appendToStreams(
      emails.flatMap((email) => {
        const id = randomUUID();
        return [
          {
            stream: `baselineAddress-${randomUUID()}`,
            expectedRevision: 'no_stream' as const,
            events: [{ id: randomUUID(), type: 'BaselineAddressReserved', data: { invitationId: id } }],
          },
          {
            stream: `baseline-${id}`,
            expectedRevision: 'no_stream' as const,
            events: [
              {
                id: randomUUID(),
                type: 'BaselineIssued',
                data: {
                  invitationId: id,
                  email,
                  deploymentId: deployment,
                  channel: 'email',
                  linkId: null,
                  expiresAt: new Date().toISOString(),
                  expiresIn: '7d',
                  nonce: 'x'.repeat(22),
                },
              },
            ],
          },
        ];
      }),
    );
    const rawMs = Number(process.hrtime.bigint() - rawStart) / 1e6;
    // The baseline's events go through every processor that reads the whole log (the integrity chain):
    // that work is the baseline's, not the request's, so it is done before the request is timed.
    await app.get(ProcessorRunner).waitUntilCaughtUp(undefined, 120_000);
    // The client runs in a process of its own, as a browser does: reading 3 MB of answer in this
    // process would put its turns between the processors' batches, which no real client suffers.
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/deployments/${deployment}/invitations`;
    const res = await profiled(benchArgs.get('profile'), () =>
      postFromOtherProcess<{ issued: unknown[] }>(url, auth, { emails, expiresIn: '7d' }),
    );
    if (res.status !== 201 || res.body.issued.length !== 10_000) throw new Error(`bulk invite answered ${res.status}`);
    console.log(
      `POST 10,000 addresses (${storeName}, over HTTP)   ${res.ms.toFixed(0).padStart(6)} ms   raw append of 20,000 ` +
        `events ${rawMs.toFixed(0).padStart(6)} ms   target < ${targetMs} ms`,
    );
  } finally {
    await close();
  }
}

async function listPages(): Promise<void> {
  const { app, close } = await startBenchApp();
  try {
    const db = app.get<SqliteDatabase>(SQL_DATABASE);
    const deployment = randomUUID();
    const rows = 1_000_000;
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    const insert = db.writer
      .prepare(`INSERT INTO invitation_list (id, deployment_id, email, status, channel, link_id, issued_at,
        issued_by, expires_at,
      expires_in, send_count, last_sent_at, email_status) VALUES (?, ?, ?, ?, 'email', NULL, ?, 'staff', ?,
      '7d', 1, ?, 'sent')`);
    const fill = db.writer.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const issued = new Date(t0 + i * 1000).toISOString();
        const status = i % 10 === 0 ? 'redeemed' : i % 10 === 1 ? 'revoked' : 'pending';
        insert.run(
          randomUUID(),
          deployment,
          `patient${i}@example.org`,
          status,
          issued,
          new Date(t0 + (i + 86_400 * 30) * 1000).toISOString(),
          issued,
        );
      }
    });
    for (let i = 0; i < rows; i += 100_000) fill(i, i + 100_000);
    db.writer.exec('ANALYZE');
    const now = new Date(t0 + rows * 1000);
    const raw = db.reader.prepare(
      'SELECT * FROM invitation_list WHERE deployment_id = ? ORDER BY issued_at DESC, id DESC LIMIT 51',
    );
    const cursors: (string | undefined)[] = [undefined];
    let cursor: string | null = null;
    for (let page = 0; page < 200; page++) {
      const res: { nextCursor: string | null } = await listInvitations(db, {
        deploymentId: deployment,
        statuses: ['pending', 'expired'],
        limit: 50,
        cursor: cursor ?? undefined,
        now,
      });
      cursor = res.nextCursor;
      if (page % 20 === 0 && cursor) cursors.push(cursor);
    }
    console.log(`\n1,000,000 invitations in one deployment (SQLite read model)`);
    await latencies('raw SELECT first page (baseline)', () => raw.all(deployment));
    await latencies('first page, pending+expired', () =>
      listInvitations(db, { deploymentId: deployment, statuses: ['pending', 'expired'], limit: 50, now }),
    );
    let i = 0;
    await latencies('pages by cursor (up to 4,000 rows deep)', () =>
      listInvitations(db, {
        deploymentId: deployment,
        statuses: ['pending', 'expired'],
        limit: 50,
        cursor: cursors[i++ % cursors.length],
        now,
      }),
    );
    await latencies('first page, all four statuses, limit 500', () =>
      listInvitations(db, {
        deploymentId: deployment,
        statuses: ['pending', 'expired', 'redeemed', 'revoked'],
        limit: 500,
        now,
      }),
    );
    await latencies('first page, redeemed only (1 row in 10)', () =>
      listInvitations(db, { deploymentId: deployment, statuses: ['redeemed'], limit: 50, now }),
    );
    await latencies(
      'email search q=patient99999 (full scan; not a target)',
      () =>
        listInvitations(db, {
          deploymentId: deployment,
          statuses: ['pending', 'expired'],
          q: 'patient99999',
          limit: 50,
          now,
        }),
      10,
    );
  } finally {
    await close();
  }
}

async function asOfPages(): Promise<void> {
  const { app, close } = await startBenchApp();
  try {
    const db = app.get<SqliteDatabase>(SQL_DATABASE);
    const deployment = randomUUID();
    const rows = 1_000_000;
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    const iso = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();
    const insert = db.writer.prepare(`INSERT INTO invitation_list_versions (id, valid_from, valid_to, deployment_id,
      email, status, channel, link_id, issued_at, issued_by, expires_at, expires_in, send_count, last_sent_at,
      email_status) VALUES (?, ?, ?, ?, ?, ?, 'email', NULL, ?, 'staff', ?, '7d', 1, ?, ?)`);
    const fill = db.writer.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const id = randomUUID();
        const email = `patient${i}@example.org`;
        const [issued, sent, closed] = [iso(i), iso(i + 5), iso(i + 86_400)];
        const expires = iso(i + 7 * 86_400);
        const final = i % 10 === 0 ? 'redeemed' : i % 10 === 1 ? 'revoked' : null;
        insert.run(id, issued, sent, deployment, email, 'pending', issued, expires, issued, 'queued');
        insert.run(id, sent, final ? closed : null, deployment, email, 'pending', issued, expires, sent, 'sent');
        if (final) insert.run(id, closed, null, deployment, email, final, issued, expires, sent, 'sent');
      }
    });
    for (let i = 0; i < rows; i += 100_000) fill(i, i + 100_000);
    db.writer.exec('ANALYZE');
    const raw = db.reader.prepare(
      `SELECT * FROM invitation_list_versions WHERE deployment_id = ? AND valid_to IS NULL
       ORDER BY issued_at DESC, id DESC LIMIT 51`,
    );
    const now = new Date(t0 + (rows + 30 * 86_400) * 1000);
    const asOf = (seconds: number, statuses: ('pending' | 'expired' | 'redeemed' | 'revoked')[], limit = 50) =>
      listInvitations(db, { deploymentId: deployment, statuses, limit, now, asOf: new Date(t0 + seconds * 1000) });
    let k = 0;
    const randomInstant = () => ((k = (k * 7919 + 104_729) % rows) + 0.5) | 0;
    console.log(`\n1,000,000 invitations' versions in one deployment (SQLite temporal read model)`);
    await latencies('raw SELECT current first page (baseline)', () => raw.all(deployment));
    await latencies('as of the end, first page, pending+expired', () => asOf(rows, ['pending', 'expired']));
    await latencies('as of a random instant, first page, pending+expired', () =>
      asOf(randomInstant(), ['pending', 'expired']),
    );
    await latencies('as of a random instant, all four statuses, limit 500', () =>
      asOf(randomInstant(), ['pending', 'expired', 'redeemed', 'revoked'], 500),
    );
    await latencies('as of a random instant, redeemed only', () => asOf(randomInstant(), ['redeemed']));
    await latencies('as of 1,000 s in (1,000 invitations then)', () => asOf(1000, ['pending', 'expired']));
  } finally {
    await close();
  }
}

async function main() {
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model}, node ${process.version}`);
  const only = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
  if (!only || only === 'bulk') {
    await bulkInvite('SQLite', {}, 1000);
    const postgres = benchArgs.get('postgres');
    if (postgres) {
      const { env, drop } = await benchSchema(postgres, 'bulk');
      try {
        await bulkInvite('PostgreSQL', env, 1500);
      } finally {
        await drop();
      }
    }
  }
  if (!only || only === 'list') await listPages();
  if (!only || only === 'as-of') await asOfPages();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
