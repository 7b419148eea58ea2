import { START, type Position } from '../event-store';
import type { SqlExecutor } from '../sql/sql-database';

export async function loadCheckpoint(db: SqlExecutor, processor: string): Promise<Position> {
  const rows = await db.query<{ position: string }>('SELECT position FROM processor_checkpoints WHERE name = $1', [processor]);
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
