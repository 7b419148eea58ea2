import { parentPort, workerData } from 'node:worker_threads';
import { SystemClock } from '@app/clock';
// The two files this thread needs, not their libraries' indexes: those load Nest, the identity context and
// the gRPC client, which takes each thread 0.7 s longer to start (a sixth of a million-event check).
/* eslint-disable no-restricted-imports */
import { openEventStore, openSqlDatabase, type StoreLocation } from '@app/event-store-adapters/open-event-store';
import { type AnchorCheck, type ChainSegment, verifyChain } from '@app/integrity/verify-chain';
/* eslint-enable no-restricted-imports */

/** One stretch of the chain, checked on a connection of its own (see verify-in-workers.ts). */
async function run({
  location,
  anchors,
  segment,
}: {
  location: StoreLocation;
  anchors: AnchorCheck[];
  segment: ChainSegment;
}) {
  const db = openSqlDatabase(location);
  const store = await openEventStore(location, db, new SystemClock());
  try {
    parentPort!.postMessage({ report: await verifyChain(store, db, anchors, segment) });
  } finally {
    await store.close();
    await db.close();
  }
}

run(workerData).catch((error: unknown) =>
  parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) }),
);
