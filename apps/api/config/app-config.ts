import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { parseKurrentConnection } from '@app/event-store-adapters';

/** Everything the service reads from its environment, validated once at start-up. */
export interface AppConfig {
  nodeEnv: string;
  production: boolean;
  port: number;
  /** The address to listen on: loopback unless HOST says otherwise. */
  host: string;
  dataDir: string;
  eventStore: 'sqlite' | 'postgres' | 'eventstoredb';
  databaseUrl?: string;
  eventStoreUrl?: string;
  mail: {
    transport: 'outbox' | 'mailgun';
    from: string;
    mailgun?: { apiKey: string; domain: string; url: string; timeoutMs: number };
    /** Attempts before an email is recorded as failed. */
    maxAttempts: number;
  };
  appBaseUrl: string;
  appDownloadUrl: string;
  /** Empty when not configured: generated on first start and kept (apps/api/secrets). */
  jwtSecret: string;
  /**
   * Keys for link tokens (empty when not configured, as jwtSecret): the first signs, all verify (rotation). From
   * TOKEN_SECRET: `id:secret,id:secret` or one bare secret.
   */
  tokenKeys: { id: string; secret: string }[];
  bootstrapAdmin: { email?: string; password?: string };
  testClock: boolean;
  publicRateLimit: number;
  csv: { maxBytes: number; maxRows: number; maxRecordSize: number };
  /** log2 of scrypt's N for password hashes. */
  passwordHashCost: number;
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const MIN_SECRET_LENGTH = 32;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and checks the environment; collects every problem, naming each variable, before failing. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const problems: string[] = [];
  const nodeEnv = env.NODE_ENV || 'development';
  const production = nodeEnv === 'production';

  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = env[name] || fallback;
    if (!(allowed as readonly string[]).includes(value))
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
    return value as T;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max)
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return value;
  };
  const url = (name: string, fallback: string | undefined, protocols: string[]): string | undefined => {
    const value = env[name] || fallback;
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) throw new Error();
    } catch {
      problems.push(`${name} must be a ${protocols.join(' or ')} URL (got "${redactUrl(value)}")`);
    }
    return value.replace(/\/+$/, '');
  };
  /** `wholeLength: false` when the value is a list whose parts are checked one by one. */
  /** Unset outside production: '' here, then generated once and kept by withServiceSecrets. */
  const secret = (name: string, { wholeLength = true } = {}): string => {
    const value = env[name];
    if (!value) {
      if (production) problems.push(`${name} is required in production`);
      return '';
    }
    if (wholeLength && value.length < MIN_SECRET_LENGTH)
      problems.push(`${name} must be at least ${MIN_SECRET_LENGTH} characters`);
    return value;
  };
  const tokenKeys = (): { id: string; secret: string }[] => {
    const value = secret('TOKEN_SECRET', { wholeLength: false });
    return value ? parseTokenKeys(value, problems) : [];
  };
  const required = (name: string, why: string): string | undefined => {
    if (!env[name]) problems.push(`${name} is required ${why}`);
    return env[name];
  };

  const eventStore = oneOf('EVENT_STORE', ['sqlite', 'postgres', 'eventstoredb'] as const, 'sqlite');
  const databaseUrl = url('DATABASE_URL', undefined, ['postgres:', 'postgresql:']);
  if (eventStore === 'postgres' && !databaseUrl) problems.push('DATABASE_URL is required when EVENT_STORE=postgres');
  // Read models, checkpoints and the mail queue stay in SQL: PostgreSQL with DATABASE_URL, else SQLite in
  // DATA_DIR (one instance).
  const eventStoreUrl = kurrentUrl(env.EVENTSTORE_URL, problems);
  if (eventStore === 'eventstoredb' && !eventStoreUrl) {
    problems.push(
      'EVENTSTORE_URL is required when EVENT_STORE=eventstoredb (e.g. ' +
        'kurrentdb://127.0.0.1:2113?tls=false); DATABASE_URL then says where read models go',
    );
  }
  const transport = oneOf('MAIL_TRANSPORT', ['outbox', 'mailgun'] as const, 'outbox');
  const mailgun =
    transport === 'mailgun'
      ? {
          apiKey: required('MAILGUN_API_KEY', 'when MAIL_TRANSPORT=mailgun') ?? '',
          domain: required('MAILGUN_DOMAIN', 'when MAIL_TRANSPORT=mailgun') ?? '',
          url: url('MAILGUN_URL', 'https://api.eu.mailgun.net', ['https:', 'http:'])!,
          timeoutMs: integer('MAILGUN_TIMEOUT_MS', 30_000, 100, 300_000),
        }
      : undefined;
  if (transport === 'outbox' && production) {
    problems.push(
      'MAIL_TRANSPORT=outbox is refused in production: it serves every email, ' +
        'personal links included, at /api/dev/outbox',
    );
  }
  const testClock = oneOf('TEST_CLOCK', ['enabled', 'disabled'] as const, 'disabled') === 'enabled';
  if (testClock && production) problems.push('TEST_CLOCK=enabled is refused in production: it lets a caller move time');

  const port = integer('PORT', 3000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const config: AppConfig = {
    nodeEnv,
    production,
    port,
    host,
    dataDir: resolve(env.DATA_DIR || './data'),
    eventStore,
    databaseUrl,
    eventStoreUrl,
    mail: {
      transport,
      from: env.MAIL_FROM || 'Patient invitations <no-reply@localhost>',
      mailgun,
      maxAttempts: integer('MAIL_MAX_ATTEMPTS', 8, 1, 100),
    },
    // The service's own address, so links from a fresh `npm start` open its own pages.
    appBaseUrl: url('APP_BASE_URL', `http://localhost:${port}`, ['http:', 'https:'])!,
    appDownloadUrl: url('APP_DOWNLOAD_URL', `http://localhost:${port}/download`, ['http:', 'https:'])!,
    jwtSecret: secret('JWT_SECRET'),
    tokenKeys: tokenKeys(),
    bootstrapAdmin: {
      email: env.BOOTSTRAP_ADMIN_EMAIL || undefined,
      password: env.BOOTSTRAP_ADMIN_PASSWORD || undefined,
    },
    testClock,
    publicRateLimit: integer('PUBLIC_RATE_LIMIT', 30, 1, 1_000_000),
    csv: {
      maxBytes: integer('CSV_MAX_BYTES', 10 * 1024 * 1024, 1024, 1024 ** 3),
      maxRows: integer('CSV_MAX_ROWS', 100_000, 1, 10_000_000),
      maxRecordSize: 64 * 1024,
    },
    // Tests may lower it to keep suites fast; production never goes below the default.
    passwordHashCost: integer('PASSWORD_HASH_COST', 15, production ? 15 : 10, 20),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

export const APP_CONFIG = Symbol('AppConfig');

const KURRENT_PROTOCOLS = [
  'esdb:',
  'esdb+discover:',
  'kurrentdb:',
  'kurrentdb+discover:',
  'kurrent:',
  'kurrent+discover:',
  'kdb:',
  'kdb+discover:',
];

/**
 * EVENTSTORE_URL, checked as the adapter will read it: a cluster's string names several hosts
 * (`kurrentdb+discover://a:2113,b:2113`), which `new URL` refuses, and some options are refused.
 */
function kurrentUrl(raw: string | undefined, problems: string[]): string | undefined {
  if (!raw) return undefined;
  const value = raw.replace(/\/+$/, '');
  const scheme = /^([a-z+]+:)\/\//i.exec(value)?.[1].toLowerCase();
  if (!scheme || !KURRENT_PROTOCOLS.includes(scheme)) {
    problems.push(`EVENTSTORE_URL must be a ${KURRENT_PROTOCOLS.join(' or ')} URL (got "${redactUrl(value)}")`);
    return value;
  }
  try {
    parseKurrentConnection(value);
  } catch (error) {
    problems.push((error as Error).message);
  }
  return value;
}

/** Loopback only: the outbox shows every email, personal links included. */
export function listensOnLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function parseTokenKeys(value: string, problems: string[]): { id: string; secret: string }[] {
  const keys = value.split(',').map((entry, i) => {
    const match = /^([A-Za-z0-9_-]{1,16}):(.+)$/.exec(entry.trim());
    const secret = match ? match[2] : entry.trim();
    if (secret.length < MIN_SECRET_LENGTH)
      problems.push(`TOKEN_SECRET key ${i + 1} must be at least ${MIN_SECRET_LENGTH} characters`);
    return { id: match ? match[1] : `k${createHash('sha256').update(secret).digest('hex').slice(0, 6)}`, secret };
  });
  if (new Set(keys.map((k) => k.id)).size !== keys.length) problems.push('TOKEN_SECRET names one key id twice');
  return keys;
}

function redactUrl(value: string): string {
  return value.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
