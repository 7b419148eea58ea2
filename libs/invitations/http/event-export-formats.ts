import { Readable } from 'node:stream';
import type { ExportedEvent } from '../application/auditing/export-events';
import { csvCell, csvRow } from './csv-cells';
import { Utf8Pages } from './utf8-pages';

/** Characters JSON.stringify writes otherwise than as themselves: quote, backslash, controls, surrogates. */
// eslint-disable-next-line no-control-regex -- the control characters are what JSON escapes
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * A string as JSON, exactly as JSON.stringify writes it: between quotes as it is when nothing in it is
 * escaped (ids, types, instants, most names), which is most of the export's strings and several times
 * cheaper than asking JSON.stringify.
 */
export function jsonString(value: string): string {
  return ESCAPED.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/**
 * One JSON object per line, the feed's event: written by hand around the stored JSON of metadata and
 * data, so nothing is parsed and written again that need not be.
 */
export function ndjsonLine(e: ExportedEvent): string {
  return (
    `{"position":${jsonString(e.position)},"streamId":${jsonString(e.streamId)},"id":${jsonString(e.id)},"type":${jsonString(e.type)},` +
    `"revision":${e.revision},"occurredAt":${jsonString(e.occurredAt)},"metadata":${e.metadataJson},` +
    `"actorName":${e.actorName === null ? 'null' : jsonString(e.actorName)},"data":${e.dataJson}}\n`
  );
}

/** NDJSON as UTF-8 bytes, one chunk per page read. */
export function ndjson(pages: AsyncIterable<ExportedEvent[]>): Readable {
  return encodedPages(pages, ndjsonLine);
}

/** Each page's lines as one chunk of UTF-8 bytes, after `head` (a header) when there is one. */
function encodedPages(pages: AsyncIterable<ExportedEvent[]>, line: (e: ExportedEvent) => string, head = '') {
  return Readable.from(
    (async function* () {
      if (head) yield Buffer.from(head);
      const bytes = new Utf8Pages();
      for await (const page of pages) yield bytes.encode(page, line);
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

/** Byte order mark: spreadsheets then read the file as UTF-8. */
const BOM = '\uFEFF';

/**
 * One row per event, with a header, for a spreadsheet: the envelope in columns, the data as JSON in
 * the last. Cells a spreadsheet would run as a formula (=, +, -, @ …) are escaped.
 */
export function csv(pages: AsyncIterable<ExportedEvent[]>): Readable {
  return encodedPages(pages, csvLine, BOM + csvRow(CSV_COLUMNS));
}

/** Written out cell by cell rather than joined from an array: one string fewer to build and copy per row. */
export function csvLine(e: ExportedEvent): string {
  const { envelope } = e;
  return (
    `${csvCell(e.position)},${csvCell(e.occurredAt)},${csvCell(e.type)},${csvCell(e.streamId)},${e.revision},` +
    `${csvCell(e.id)},${csvCell(envelope.deploymentId ?? '')},${csvCell(envelope.actorType ?? '')},` +
    `${csvCell(envelope.actorId ?? '')},${csvCell(e.actorName ?? '')},${csvCell(envelope.correlationId ?? '')},` +
    `${csvCell(e.dataJson)}\n`
  );
}
