import { stringify } from 'csv-stringify';
import { Readable, type Transform } from 'node:stream';
import type { FeedEntry } from '../application/auditing/audit-entries';

/** One JSON object per line: what the feed's `events` hold, one event at a time. */
export function ndjson(batches: AsyncIterable<FeedEntry[]>): Readable {
  return Readable.from(
    (async function* () {
      for await (const batch of batches) yield batch.map((entry) => `${JSON.stringify(entry)}\n`).join('');
    })(),
  );
}

export const CSV_COLUMNS = [
  'position',
  'occurredAt',
  'type',
  'streamId',
  'revision',
  'eventId',
  'deploymentId',
  'actorType',
  'actorId',
  'actorName',
  'correlationId',
  'data',
] as const;

/**
 * One row per event, with a header, for a spreadsheet: the envelope in columns, the data as JSON in
 * the last. Cells a spreadsheet would run as a formula (=, +, -, @ …) are escaped.
 */
export function csv(batches: AsyncIterable<FeedEntry[]>): Transform {
  const rows = Readable.from(
    (async function* () {
      for await (const batch of batches) for (const entry of batch) yield row(entry);
    })(),
  );
  const out = stringify({ header: true, columns: [...CSV_COLUMNS], escape_formulas: true, bom: true });
  rows.on('error', (error) => out.destroy(error));
  return rows.pipe(out);
}

function row(entry: FeedEntry): Record<(typeof CSV_COLUMNS)[number], string | number> {
  const actor = (entry.metadata.actor ?? {}) as { type?: string; id?: string };
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    position: entry.position,
    occurredAt: entry.occurredAt,
    type: entry.type,
    streamId: entry.streamId,
    revision: entry.revision,
    eventId: entry.id,
    deploymentId: text(entry.metadata.deploymentId),
    actorType: text(actor.type),
    actorId: text(actor.id),
    actorName: entry.actorName ?? '',
    correlationId: text(entry.metadata.correlationId),
    data: JSON.stringify(entry.data),
  };
}
