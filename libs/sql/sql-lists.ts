/** Values per statement: well under SQLite's and PostgreSQL's limits on bound parameters. */
export const SQL_CHUNK = 500;

/** The placeholders of an `IN (…)` list: `$3, $4, …` from `first`; or SQLite's anonymous `?, ?, …` with `'?'`. */
export function placeholderList(count: number, first: number | '?' = 1): string {
  return Array.from({ length: count }, (_, i) => (first === '?' ? '?' : `$${first + i}`)).join(', ');
}

/** Consecutive slices of at most `size` values, in order: one statement each. */
export function* chunksOf<T>(values: readonly T[], size = SQL_CHUNK): Generator<T[]> {
  for (let i = 0; i < values.length; i += size) yield values.slice(i, i + size);
}
