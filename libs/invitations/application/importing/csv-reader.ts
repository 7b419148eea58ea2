import { parse } from 'csv-parse';
import { once } from 'node:events';
import { TextDecoder } from 'node:util';
import { InvitationError } from '../../domain/invitation-error';

export interface CsvLimits {
  maxBytes: number;
  maxRows: number;
  /** Characters in one record. */
  maxRecordSize: number;
}

export interface CsvRow {
  /** The file's own 1-based physical line where the record starts. */
  line: number;
  cells: string[];
}

/** 413 is the HTTP layer's; everything else about a bad file is invalid_csv with a reason. */
export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The file is larger than ${maxBytes} bytes`);
  }
}

const invalid = (reason: string) =>
  new InvitationError('invalid_csv', `The file cannot be read as CSV: ${reason}`, [{ reason }]);

/**
 * Streams records out of an uploaded file: counts bytes against the limit, decodes UTF-8 (strictly)
 * or UTF-16 with a BOM, refuses binary, detects `,` `;` or tab from the first line, and parses with
 * csv-parse (quotes, escaped quotes, CRLF/LF/CR). Never holds the file as rows in memory.
 */
export async function* readCsv(
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  limits: CsvLimits,
): AsyncGenerator<CsvRow> {
  const text = decode(source, limits.maxBytes);
  const first = await text.next();
  if (first.done) return;
  let head = first.value;
  while (!/[\r\n]/.test(head.replace(/^[\s]*/, '')) && head.length < limits.maxRecordSize) {
    const more = await text.next();
    if (more.done) break;
    head += more.value;
  }
  // Lines are counted here as csv-parse finishes each record (it may parse ahead of what was read,
  // and an error ends the reading without the records in between), not by its per-record `info`: that
  // builds an object per record (a third of the parse's time) and counts a CRLF inside quotes as two.
  let line = 1;
  /** Where each record parsed and not yet read starts. */
  const starts: number[] = [];
  const parser = parse({
    delimiter: detectDelimiter(head),
    relax_column_count: true,
    // Exports put quotes inside unquoted cells (37°36'37.8"N); an opening quote left unclosed is still an error.
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: limits.maxRecordSize,
    on_record: (cells) => {
      starts.push(line);
      line += 1 + lineBreaksIn(cells);
      return cells;
    },
  });
  const feeding = (async () => {
    try {
      if (!parser.write(head)) await once(parser, 'drain');
      for await (const chunk of { [Symbol.asyncIterator]: () => text })
        if (!parser.write(chunk)) await once(parser, 'drain');
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  try {
    for await (const cells of parser as AsyncIterable<string[]>) yield { line: starts.shift()!, cells };
  } catch (error) {
    if (error instanceof InvitationError || error instanceof FileTooLargeError) throw error;
    // Where the record that failed starts, by our count (csv-parse's own `lines` is where it stopped,
    // counted its way: an unclosed quote is reported at the end of the file).
    const e = error as { code?: string; message?: string };
    if (e.code === 'CSV_MAX_RECORD_SIZE')
      throw invalid(`the record starting on line ${line} is longer than ${limits.maxRecordSize} characters`);
    if (e.code?.startsWith('CSV_'))
      throw invalid(`${(e.message ?? '').replace(/:.*$/, '')} in the record starting on line ${line}`);
    throw error;
  } finally {
    parser.destroy();
    await feeding;
  }
}

/** Line breaks inside a record's cells (quoted ones): CRLF, CR or LF, each one break. */
function lineBreaksIn(cells: readonly string[]): number {
  let breaks = 0;
  for (const cell of cells) if (cell.includes('\n') || cell.includes('\r')) breaks += cell.match(/\r\n|\r|\n/g)!.length;
  return breaks;
}

/** Bytes to text: UTF-8 (BOM or not) or UTF-16 LE/BE with a BOM; anything undecodable or binary is refused. */
async function* decode(
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  maxBytes: number,
): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  let pending = Buffer.alloc(0);
  let bytes = 0;
  const text = (buffer: Buffer, stream: boolean): string => {
    let out: string;
    try {
      out = decoder!.decode(buffer, { stream });
    } catch {
      throw invalid('it is not UTF-8 text (save it as "CSV UTF-8" or UTF-16 with a BOM)');
    }
    if (out.includes('\u0000')) throw invalid('it contains binary data, not text');
    return out;
  };
  for await (const chunk of source) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += buffer.length;
    if (bytes > maxBytes) throw new FileTooLargeError(maxBytes);
    if (!decoder) {
      pending = Buffer.concat([pending, buffer]);
      if (pending.length < 3) continue;
      decoder = chooseDecoder(pending);
      const out = text(pending, true);
      if (out) yield out;
      continue;
    }
    const out = text(buffer, true);
    if (out) yield out;
  }
  if (!decoder) {
    if (!pending.length) return;
    decoder = chooseDecoder(pending);
    const out = text(pending, true);
    if (out) yield out;
  }
  const rest = text(Buffer.alloc(0), false);
  if (rest) yield rest;
}

function chooseDecoder(start: Buffer): TextDecoder {
  if (start[0] === 0xff && start[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true });
  if (start[0] === 0xfe && start[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true });
  return new TextDecoder('utf-8', { fatal: true }); // strips a UTF-8 BOM itself
}

/** The separator that occurs most, outside quotes, on the first non-blank line; a comma when none does. */
export function detectDelimiter(head: string): string {
  const line = head.split(/\r\n|\n|\r/).find((l) => l.trim() !== '') ?? '';
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  const [best, n] = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a));
  return n > 0 ? best : ',';
}
