import { START, type Position } from '@app/event-store';
import type { Migration } from '@app/sql';
import type { SqlExecutor } from '@app/sql';

export async function loadCheckpoint(db: SqlExecutor, processor: string): Promise<Position> {
  const rows = await db.query<{ position: string }>('SELECT position FROM processor_checkpoints WHERE name = $1', [
    processor,
  ]);
  return rows[0]?.position ?? START;
}

export async function storeCheckpoint(tx: SqlExecutor, processor: string, position: Position, at: Date): Promise<void> {
  await tx.execute(
    `INSERT INTO processor_checkpoints (name, position, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    [processor, position, at.toISOString()],
  );
}

export async function deleteCheckpoint(tx: SqlExecutor, processor: string): Promise<void> {
  await tx.execute('DELETE FROM processor_checkpoints WHERE name = $1', [processor]);
}

/**
 * The checkpoints table for stores that keep no events in SQL (KurrentDB). The SQL event stores
 * create the same table with their events (event-store-schema.ts), hence IF NOT EXISTS.
 */
export const checkpointMigrations: Migration[] = [
  {
    version: 1,
    name: 'processor checkpoints',
    sqlite: [
      `CREATE TABLE IF NOT EXISTS processor_checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL,
        updated_at TEXT NOT NULL)`,
    ],
    postgres: [
      `CREATE TABLE IF NOT EXISTS processor_checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL)`,
    ],
  },
];
