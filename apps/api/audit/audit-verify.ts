import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openSqlDatabase, type StoreLocation } from '@app/event-store-adapters';
import { AnchorSigner, anchorSignedBy, type ChainAnchor, type ChainReport, eventChainMigrations } from '@app/integrity';
import { migrate } from '@app/sql';
import { loadConfig } from '../config/app-config';
import { withServiceSecrets } from '../secrets/service-secrets';
import { verifyInWorkers } from './verify-in-workers';

const USAGE = `npm run audit:verify [-- --anchor FILE]... [--public-key KEY]

Checks the whole hash chain over the event log, configured by the service's own environment, and
names the first place where the log and its chain disagree. Each --anchor FILE holds anchors as
GET /api/audit/anchor gave them (one JSON object, or one per line): each signature is checked
against --public-key (default: the service's own), and the chain must still hold each one.
Exit code 0: intact; 1: broken or an anchor refused; 2: could not run.`;

/** npm run audit:verify: see USAGE. */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      anchor: { type: 'string', multiple: true },
      'public-key': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = await withServiceSecrets(loadConfig(process.env));
  const location: StoreLocation = { kind: config.eventStore, ...config };
  const anchors = (values.anchor ?? []).flatMap(readAnchors);
  const publicKey = values['public-key'] ?? new AnchorSigner(config.auditSigningKey).publicKey;
  const forged = anchors.filter((anchor) => !anchorSignedBy(anchor, publicKey));
  for (const anchor of forged)
    process.stdout.write(`Anchor at ${anchor.seq} is not signed by the key ${publicKey}: refused\n`);
  const signed = anchors.filter((anchor) => !forged.includes(anchor));
  const db = openSqlDatabase(location);
  try {
    // A store the service has not run on since the chain came: an empty chain, every event unchained.
    await migrate(db, 'integrity', eventChainMigrations);
    const started = process.hrtime.bigint();
    const report = await verifyInWorkers(location, db, signed);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(describe(report, seconds, signed.length));
    return report.broken || forged.length ? 1 : 0;
  } finally {
    await db.close();
  }
}

function readAnchors(file: string): ChainAnchor[] {
  const text = readFileSync(file, 'utf8').trim();
  if (text.startsWith('[')) return JSON.parse(text) as ChainAnchor[];
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as ChainAnchor);
}

function describe(report: ChainReport, seconds: number, anchors: number): string {
  const rate = `${Math.round(report.verified / Math.max(seconds, 1e-9))} events/s`;
  const checked = `${report.verified} events checked in ${seconds.toFixed(2)} s (${rate})`;
  if (report.broken) {
    const { seq, position, eventId, problem } = report.broken;
    return (
      `BROKEN at event ${seq} (position ${position || 'past the end'}${eventId ? `, event ${eventId}` : ''}): ` +
      `${PROBLEMS[problem]}\n${checked}; every event before it is intact.\n`
    );
  }
  const last = report.last ? `last link ${report.last.seq} at ${report.last.position}: ${report.last.hash}` : 'empty';
  return (
    `Chain intact: ${checked}; ${last}.\n` +
    (anchors ? `It extends all ${anchors} anchor(s) given.\n` : '') +
    (report.unchained
      ? `${report.unchained} newer event(s) not chained yet (the service chains them as it runs).\n`
      : '')
  );
}

const PROBLEMS: Record<NonNullable<ChainReport['broken']>['problem'], string> = {
  changed: 'the event there is not the one chained (edited, swapped, or its link edited)',
  missing: 'the chained event is no longer in the log (deleted, or the log cut short)',
  inserted: 'an event stands there that the chain does not hold',
  'link-missing': 'the chain has no link for this place (a link deleted)',
  'anchor-differs': 'the chain there is not the one an anchor recorded (the chain was rewritten or cut short)',
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit:verify could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
