/**
 * First characters a spreadsheet reads as the start of a formula (OWASP "CSV injection"), with the
 * full-width forms Apple Numbers folds into them: such a cell is written with a leading `'`.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** What makes a cell need quotes (RFC 4180): the delimiter, a quote, or a line break. */
const NEEDS_QUOTES = /[",\n\r]/;
/** Either of the two: most cells (ids, instants, types) have neither and are written as they are. */
const NEEDS_WORK = new RegExp(`${FORMULA_START.source}|${NEEDS_QUOTES.source}`);
/** Every quote, to be doubled (a global pattern: V8 replaces it about a third faster than replaceAll). */
const QUOTE = /"/g;

/**
 * A text cell as csv-stringify writes it with `escape_formulas` (the export's tests compare the two):
 * formulas escaped, then quoted with inner quotes doubled when RFC 4180 asks for it. Written by hand
 * because the library's general path (casts, options, separators of any length) costs about 5 µs a
 * row, 5 s of a million-event export, most of it for options the export does not use.
 */
export function csvCell(value: string): string {
  if (!NEEDS_WORK.test(value)) return value;
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTE, '""')}"` : text;
}

/** A row of cells and its line break (`\n`, as csv-stringify writes by default). */
export function csvRow(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\n`;
}
