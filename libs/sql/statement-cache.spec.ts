import { statementCache } from './statement-cache';

describe('a connection’s prepared statements', () => {
  const counting = () => {
    const prepared: string[] = [];
    return { prepared, prepare: (sql: string) => (prepared.push(sql), { sql }) };
  };

  it('are prepared once per text while they are in use', () => {
    const { prepared, prepare } = counting();
    const statement = statementCache(prepare, 10);
    const first = statement('SELECT 1');
    expect(statement('SELECT 1')).toBe(first);
    expect(prepared).toEqual(['SELECT 1']);
  });

  it('keep at most `max`, dropping the least recently used (texts built with IN-lists of every length)', () => {
    const { prepared, prepare } = counting();
    const statement = statementCache(prepare, 3);
    const inList = (n: number) => `SELECT * FROM t WHERE id IN (${Array.from({ length: n }, () => '?').join(', ')})`;
    for (const n of [1, 2, 3]) statement(inList(n));
    statement(inList(1)); // used again: now the most recent
    statement(inList(4)); // one too many: the least recently used, 2, goes

    prepared.length = 0;
    for (const n of [1, 3, 4]) statement(inList(n));
    expect(prepared).toEqual([]);
    statement(inList(2));
    expect(prepared).toEqual([inList(2)]);
  });
});
