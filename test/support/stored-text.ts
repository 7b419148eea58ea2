import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import type { TestApp } from './test-app';

/** Every place the database keeps text: the files of SQLite, every row of every table on PostgreSQL. */
export async function everythingStored(t: TestApp, store: 'sqlite' | 'postgres'): Promise<string> {
  if (store === 'sqlite')
    return readdirSync(t.config.dataDir)
      .filter((file) => file.startsWith('invitations.sqlite'))
      .map((file) => readFileSync(join(t.config.dataDir, file)).toString('latin1'))
      .join('\n');
  const db = t.app.get<SqlDatabase>(SQL_DATABASE);
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`,
  );
  const rows = [];
  for (const { table_name } of tables) rows.push(...(await db.query(`SELECT t::text AS row FROM "${table_name}" t`)));
  return JSON.stringify(rows);
}

/** Where a text occurs in a large dump, with a little around it (not the whole dump in a failure message). */
export function around(dump: string, text: string): string | null {
  const at = dump.indexOf(text);
  return at < 0 ? null : JSON.stringify(dump.slice(Math.max(0, at - 60), at + text.length + 60));
}
