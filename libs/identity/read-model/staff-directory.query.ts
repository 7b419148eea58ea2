import { placeholderList, type SqlExecutor, type SqlParam } from '@app/sql';
import { IdentityError } from '../domain/identity-error';
import type { RoleScope } from '../domain/roles';

export interface StaffListFilter {
  q?: string;
  limit: number;
  cursor?: string;
  /** null: every member (an organisation-wide manager); else only staff acting within these deployments. */
  within: readonly string[] | null;
}

export interface StaffRow {
  id: string;
  email: string;
  name: string | null;
  role: string;
  scope: RoleScope;
  status: 'active' | 'deactivated';
  deployment_ids: string[];
}

/** By address, keyset-paginated; search matches address or name. */
export async function listStaff(
  db: SqlExecutor,
  filter: StaffListFilter,
): Promise<{ rows: StaffRow[]; next: string | null }> {
  const params: SqlParam[] = [];
  const p = (value: SqlParam) => `$${params.push(value)}`;
  const where: string[] = [];
  if (filter.q) {
    const like = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(`(email LIKE ${p(like)} ESCAPE '\\' OR lower(name) LIKE ${p(like)} ESCAPE '\\')`);
  }
  if (filter.within) {
    const first = params.length + 1;
    params.push(...filter.within);
    const mine = filter.within.length
      ? `AND d.deployment_id NOT IN (${placeholderList(filter.within.length, first)})`
      : '';
    where.push(`scope = 'deployments' AND NOT EXISTS (
      SELECT 1 FROM staff_directory_deployments d WHERE d.staff_id = s.id ${mine})`);
  }
  if (filter.cursor) {
    const [email, id] = decodeCursor(filter.cursor);
    where.push(`(email > ${p(email)} OR (email = ${p(email)} AND id > ${p(id)}))`);
  }
  const rows = await db.query<Omit<StaffRow, 'deployment_ids'>>(
    `SELECT id, email, name, role, scope, status FROM staff_directory s
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY email, id LIMIT ${p(filter.limit + 1)}`,
    params,
  );
  const page = rows.slice(0, filter.limit);
  const deployments = await deploymentsOfStaff(
    db,
    page.map((r) => r.id),
  );
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => ({ ...r, deployment_ids: deployments.get(r.id) ?? [] })),
    next: rows.length > filter.limit && last ? encodeCursor(last.email, last.id) : null,
  };
}

async function deploymentsOfStaff(db: SqlExecutor, ids: string[]): Promise<Map<string, string[]>> {
  const byStaff = new Map<string, string[]>();
  if (!ids.length) return byStaff;
  const rows = await db.query<{ staff_id: string; deployment_id: string }>(
    `SELECT staff_id, deployment_id FROM staff_directory_deployments WHERE staff_id IN (${placeholderList(ids.length)})
     ORDER BY deployment_id`,
    ids,
  );
  for (const row of rows) byStaff.set(row.staff_id, [...(byStaff.get(row.staff_id) ?? []), row.deployment_id]);
  return byStaff;
}

/** Names for actor ids: the directory's, for showing who did what. */
export async function staffNames(db: SqlExecutor, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const ids$ = placeholderList(unique.length);
  const rows = await db.query<{ id: string; name: string }>(
    `SELECT id, coalesce(name, email) AS name FROM staff_directory WHERE id IN (${ids$})
     UNION ALL SELECT id, name FROM service_account_names WHERE id IN (${ids$})`,
    unique,
  );
  return new Map(rows.map((row) => [row.id, row.name]));
}

function encodeCursor(email: string, id: string): string {
  return Buffer.from(JSON.stringify([email, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string' && v.length <= 400))
      return value as [string, string];
  } catch {
    // falls through to the refusal below
  }
  throw new IdentityError('invalid_cursor', 'The cursor is not one this list handed out', 'cursor');
}
