import type { SqlExecutor } from '@app/sql';
import type { ChainLink } from './event-chain-schema';

const PAGE = 5000;

interface LinkRow {
  seq: number | string | bigint;
  position: string;
  event_id: string;
  hash: string;
}

function toLink(row: LinkRow): ChainLink {
  return { seq: Number(row.seq), position: row.position, eventId: row.event_id, hash: row.hash };
}

/** The newest link, or null before the first event is chained. */
export async function lastLink(db: SqlExecutor): Promise<ChainLink | null> {
  const [row] = await db.query<LinkRow>(
    'SELECT seq, position, event_id, hash FROM event_chain ORDER BY seq DESC LIMIT 1',
  );
  return row ? toLink(row) : null;
}

/** The link at a place in the chain, or null when the chain is shorter. */
export async function linkAt(db: SqlExecutor, seq: number): Promise<ChainLink | null> {
  const [row] = await db.query<LinkRow>('SELECT seq, position, event_id, hash FROM event_chain WHERE seq = $1', [seq]);
  return row ? toLink(row) : null;
}

/** Every link in chain order, a page at a time. */
export async function* allLinks(db: SqlExecutor): AsyncGenerator<ChainLink> {
  for (let after = 0; ;) {
    const rows = await db.query<LinkRow>(
      'SELECT seq, position, event_id, hash FROM event_chain WHERE seq > $1 ORDER BY seq LIMIT $2',
      [after, PAGE],
    );
    for (const row of rows) yield toLink(row);
    if (rows.length < PAGE) return;
    after = Number(rows[rows.length - 1].seq);
  }
}
