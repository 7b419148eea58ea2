import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { AppConfig } from '../config/app-config';
import { parseTokenKeys } from '../config/app-config';

export const SECRETS_FILE_NAME = 'secrets.json';
type SecretName = 'JWT_SECRET' | 'TOKEN_SECRET' | 'AUDIT_SIGNING_KEY' | 'PERSONAL_DATA_KEY';

/**
 * Fills in the secrets the environment did not set (never in production, where config refuses to
 * start without them): generated once on first start, then kept where every later start and every
 * instance finds them — a 0600 file in DATA_DIR, or a table in PostgreSQL when DATABASE_URL is set.
 * No secret is a constant in the source, so no two installations share one.
 */
export async function withServiceSecrets(config: AppConfig): Promise<AppConfig> {
  const missing: SecretName[] = [];
  if (!config.jwtSecret) missing.push('JWT_SECRET');
  if (!config.tokenKeys.length) missing.push('TOKEN_SECRET');
  if (!config.auditSigningKey) missing.push('AUDIT_SIGNING_KEY');
  if (!config.personalDataKey) missing.push('PERSONAL_DATA_KEY');
  if (!missing.length) return config;
  const kept = config.databaseUrl
    ? await keptInPostgres(config.databaseUrl, missing)
    : keptInFile(config.dataDir, missing);
  return {
    ...config,
    jwtSecret: config.jwtSecret || kept.JWT_SECRET!,
    tokenKeys: config.tokenKeys.length ? config.tokenKeys : parseTokenKeys(kept.TOKEN_SECRET!, []),
    auditSigningKey: config.auditSigningKey || kept.AUDIT_SIGNING_KEY!,
    personalDataKey: config.personalDataKey || kept.PERSONAL_DATA_KEY!,
  };
}

function generated(): string {
  return randomBytes(48).toString('base64url');
}

function keptInFile(dataDir: string, names: SecretName[]): Partial<Record<SecretName, string>> {
  const file = join(dataDir, SECRETS_FILE_NAME);
  mkdirSync(dataDir, { recursive: true });
  let secrets: Partial<Record<SecretName, string>> = {};
  try {
    secrets = JSON.parse(readFileSync(file, 'utf8'));
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`${file} could not be read: ${(error as Error).message}`, { cause: error });
  }
  const added = names.filter((name) => !secrets[name]);
  if (added.length) {
    for (const name of added) secrets[name] = generated();
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return secrets;
}

/** First writer wins: instances starting together all read the one value that was stored. */
async function keptInPostgres(databaseUrl: string, names: SecretName[]): Promise<Partial<Record<SecretName, string>>> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    // Instances starting together queue on one lock, as migrations do: the first creates and stores.
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('service_secrets'))");
    await client.query(
      `CREATE TABLE IF NOT EXISTS service_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL, created_at
        TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    for (const name of names) {
      await client.query('INSERT INTO service_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
        name,
        generated(),
      ]);
    }
    const { rows } = await client.query<{ name: SecretName; value: string }>(
      'SELECT name, value FROM service_secrets WHERE name = ANY($1)',
      [names],
    );
    await client.query('COMMIT');
    return Object.fromEntries(rows.map((r) => [r.name, r.value]));
  } finally {
    await client.end().catch(() => undefined);
  }
}
