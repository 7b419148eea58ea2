import type { SqlExecutor } from '@app/sql';
import type { Permission } from '../domain/roles';

/** An organisation's deployments, oldest first. */
export async function deploymentsOf(db: SqlExecutor, organisationId: string): Promise<{ id: string; name: string }[]> {
  const rows = await db.query<{ id: string; name: string }>(
    'SELECT id, name FROM identity_deployments WHERE organisation_id = $1 ORDER BY created_at, id',
    [organisationId],
  );
  return rows.map((row) => ({ id: String(row.id), name: row.name }));
}

/** Every deployment's id, of every organisation. */
export async function allDeploymentIds(db: SqlExecutor): Promise<string[]> {
  const rows = await db.query<{ id: string }>('SELECT id FROM identity_deployments ORDER BY id');
  return rows.map((row) => String(row.id));
}

/** The organisation's own roles, oldest first. */
export async function customRoles(db: SqlExecutor): Promise<{ name: string; permissions: Permission[] }[]> {
  const rows = await db.query<{ name: string; permissions: string }>(
    'SELECT name, permissions FROM identity_roles ORDER BY created_at, name',
  );
  return rows.map((row) => ({ name: row.name, permissions: JSON.parse(row.permissions) as Permission[] }));
}
