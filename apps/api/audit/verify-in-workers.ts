import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { StoreLocation } from '@app/event-store-adapters';
import { type AnchorCheck, type ChainReport, type ChainSegment, lastLink, linkAt } from '@app/integrity';
import type { SqlExecutor } from '@app/sql';

/** Below this many links a segment is not worth a thread of its own. */
const MIN_SEGMENT = 100_000;

/**
 * Checks the chain in as many stretches as there are processors, each in a worker thread with its own
 * connection: a link depends only on the hash before it, which the chain itself holds, so stretches
 * are independent. The first break in chain order wins; the counts add up.
 */
export async function verifyInWorkers(
  location: StoreLocation,
  db: SqlExecutor,
  anchors: readonly AnchorCheck[],
  { threads = availableParallelism(), minSegment = MIN_SEGMENT, preload }: WorkerOptions = {},
): Promise<ChainReport> {
  const segments = await split(db, threads, minSegment);
  const reports = await Promise.all(segments.map((segment) => inWorker(location, anchors, segment, preload)));
  return combine(reports);
}

export interface WorkerOptions {
  threads?: number;
  minSegment?: number;
  /** A module each thread loads first (tests: the TypeScript loader). */
  preload?: string;
}

async function split(db: SqlExecutor, threads: number, minSegment: number): Promise<ChainSegment[]> {
  const links = (await lastLink(db))?.seq ?? 0;
  const parts = Math.max(1, Math.min(threads, Math.floor(links / minSegment)));
  const segments: ChainSegment[] = [{ after: null }];
  for (let i = 1; i < parts; i++) {
    const boundary = await linkAt(db, Math.round((links * i) / parts));
    // A link missing at a boundary: the stretch before it goes on to the end, and reports it.
    if (!boundary) break;
    segments[segments.length - 1].through = boundary.seq;
    segments.push({ after: boundary });
  }
  return segments;
}

function combine(reports: ChainReport[]): ChainReport {
  let verified = 0;
  let last: ChainReport['last'] = null;
  for (const report of reports) {
    verified += report.verified;
    last = report.last ?? last;
    if (report.broken) return { verified, last, unchained: 0, broken: report.broken };
  }
  return { verified, last, unchained: reports[reports.length - 1].unchained, broken: null };
}

function inWorker(
  location: StoreLocation,
  anchors: readonly AnchorCheck[],
  segment: ChainSegment,
  preload?: string,
): Promise<ChainReport> {
  // The worker runs as this file does: compiled JavaScript, or TypeScript through the loader the process was started with.
  const file = join(__dirname, `verify-worker${extname(__filename)}`);
  return new Promise((resolve, reject) => {
    const code = [preload, file].filter(Boolean).map((f) => `require(${JSON.stringify(f)});`);
    const worker = new Worker(code.join(''), {
      eval: true,
      workerData: { location, anchors, segment },
    });
    worker.once('message', (message: { report?: ChainReport; error?: string }) =>
      message.report ? resolve(message.report) : reject(new Error(message.error)),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`A verifying thread stopped (exit code ${code})`)));
  });
}
