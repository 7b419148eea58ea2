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

/** The links after `after` up to `through` (the end when absent), in chain order, their places and hashes only. */
export async function* hashPages(
  db: SqlExecutor,
  after: number,
  through = Number.MAX_SAFE_INTEGER,
): AsyncGenerator<{ seq: number; hash: string }[]> {
  for (;;) {
    const rows = await db.query<{ seq: number | string; hash: string }>(
      'SELECT seq, hash FROM event_chain WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3',
      [after, through, PAGE],
    );
    if (rows.length) yield rows.map((row) => ({ seq: Number(row.seq), hash: row.hash }));
    if (rows.length < PAGE) return;
    after = Number(rows[rows.length - 1].seq);
  }
}

/** Every link in chain order. */
export async function* allLinks(db: SqlExecutor): AsyncGenerator<ChainLink> {
  for (let after = 0; ;) {
    const rows = await db.query<LinkRow>(
      'SELECT seq, position, event_id, hash FROM event_chain WHERE seq > $1 ORDER BY seq LIMIT $2',
      [after, PAGE],
    );
    yield* rows.map(toLink);
    if (rows.length < PAGE) return;
    after = Number(rows[rows.length - 1].seq);
  }
}
