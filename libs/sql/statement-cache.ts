import { LRUCache } from 'lru-cache';

/**
 * How many statements one connection keeps prepared. The service's own SQL is a few hundred texts, but
 * IN-lists are written with one placeholder per value (every length up to SQL_CHUNK), so the distinct
 * texts have no natural end.
 */
export const PREPARED_STATEMENTS = 2000;

/**
 * Prepared statements by SQL text, made on first use, the least recently used dropped past `max` (a
 * statement dropped is prepared again if it comes back; SQLite finalizes it once it is collected).
 */
export function statementCache<S extends object>(
  prepare: (sql: string) => S,
  max = PREPARED_STATEMENTS,
): (sql: string) => S {
  const cache = new LRUCache<string, S>({ max });
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = prepare(sql)));
    return statement;
  };
}
