import { chunksOf, placeholderList } from './sql-lists';
import { temporarySqlite } from './testing/test-databases';

describe('SQL lists', () => {
  it('numbers PostgreSQL-style placeholders from the first free parameter', () => {
    expect(placeholderList(3, 2)).toBe('$2, $3, $4');
    expect(placeholderList(1)).toBe('$1');
  });

  it("binds SQLite's anonymous placeholders, as many as the values", async () => {
    const target = temporarySqlite();
    try {
      const values = ['a', 'b', 'c'];
      const sql = `SELECT count(*) AS n FROM (SELECT 'a' AS v UNION SELECT 'c') WHERE v IN
        (${placeholderList(3, '?')})`;
      expect(target.db.reader.prepare(sql).get(...values)).toEqual({ n: 2 });
    } finally {
      await target.drop();
    }
  });

  it('cuts values into consecutive chunks, the last one short', () => {
    expect([...chunksOf([1, 2, 3, 4, 5], 2)]).toEqual([[1, 2], [3, 4], [5]]);
    expect([...chunksOf([], 2)]).toEqual([]);
  });
});
