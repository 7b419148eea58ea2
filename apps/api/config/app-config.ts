import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { parseKurrentConnection } from '@app/event-store-adapters';
import { invalidNetworks } from '@app/webhooks/application/webhook-network-policy';
import { EnvironmentReader, MIN_SECRET_LENGTH, redactUrl } from './environment-reader';

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
    mailgun?: { apiKey: string; domain: string; url: string; timeoutMs: number; webhookSigningKey?: string };
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
  /** Empty when not configured, as jwtSecret: the secret the audit anchors' Ed25519 key is derived from. */
  auditSigningKey: string;
  /** Empty when not configured, as jwtSecret: wraps the per-person keys and keys the HMAC of addresses. */
  personalDataKey: string;
  bootstrapAdmin: { email?: string; password?: string };
  testClock: boolean;
  publicRateLimit: number;
  /** Proxies in front of the service: how many X-Forwarded-For hops to trust for the client's address. */
  trustProxy: number;
  csv: { maxBytes: number; maxRows: number; maxRecordSize: number };
  /** The live event stream: a heartbeat comment when idle this long, at most so many open per caller (per instance). */
  eventStream: { heartbeatSeconds: number; maxPerClient: number };
  /** Private networks webhooks may be delivered to besides public addresses (CIDR ranges). */
  webhookAllowedNetworks: string[];
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

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and checks the environment; collects every problem, naming each variable, before failing. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const nodeEnv = env.NODE_ENV || 'development';
  const read = new EnvironmentReader(env, nodeEnv === 'production');
  const port = read.integer('PORT', 3000, 0, 65535);
  const testClock = read.oneOf('TEST_CLOCK', ['enabled', 'disabled'] as const, 'disabled') === 'enabled';
  if (testClock && read.production)
    read.refuse('TEST_CLOCK=enabled is refused in production: it lets a caller move time');
  const tokenSecret = read.secret('TOKEN_SECRET', { wholeLength: false });
  const config: AppConfig = {
    nodeEnv,
    production: read.production,
    port,
    host: env.HOST || '127.0.0.1',
    dataDir: resolve(env.DATA_DIR || './data'),
    ...storeSettings(read),
    mail: mailSettings(read),
    // The service's own address, so links from a fresh `npm start` open its own pages.
    appBaseUrl: read.url('APP_BASE_URL', `http://localhost:${port}`, ['http:', 'https:'])!,
    appDownloadUrl: read.url('APP_DOWNLOAD_URL', `http://localhost:${port}/download`, ['http:', 'https:'])!,
    jwtSecret: read.secret('JWT_SECRET'),
    tokenKeys: tokenSecret ? parseTokenKeys(tokenSecret, read.problems) : [],
    auditSigningKey: read.secret('AUDIT_SIGNING_KEY'),
    personalDataKey: read.secret('PERSONAL_DATA_KEY'),
    bootstrapAdmin: { email: read.text('BOOTSTRAP_ADMIN_EMAIL'), password: read.text('BOOTSTRAP_ADMIN_PASSWORD') },
    testClock,
    publicRateLimit: read.integer('PUBLIC_RATE_LIMIT', 30, 1, 1_000_000),
    trustProxy: read.integer('TRUST_PROXY', 0, 0, 10),
    csv: {
      maxBytes: read.integer('CSV_MAX_BYTES', 10 * 1024 * 1024, 1024, 1024 ** 3),
      maxRows: read.integer('CSV_MAX_ROWS', 100_000, 1, 10_000_000),
      maxRecordSize: 64 * 1024,
    },
    eventStream: {
      heartbeatSeconds: read.integer('EVENT_STREAM_HEARTBEAT_SECONDS', 15, 1, 300),
      maxPerClient: read.integer('EVENT_STREAM_MAX_PER_CLIENT', 5, 1, 1000),
    },
    webhookAllowedNetworks: webhookNetworks(read),
    // Tests may lower it to keep suites fast; production never goes below the default.
    passwordHashCost: read.integer('PASSWORD_HASH_COST', 15, read.production ? 15 : 10, 20),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
  if (read.problems.length) throw new ConfigError(read.problems);
  return config;
}

function webhookNetworks(read: EnvironmentReader): string[] {
  const networks = (read.text('WEBHOOK_ALLOWED_NETWORKS') ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const invalid = invalidNetworks(networks);
  if (invalid.length)
    read.refuse(`WEBHOOK_ALLOWED_NETWORKS holds what is not a CIDR range (e.g. 10.0.0.0/8): ${invalid.join(', ')}`);
  return networks;
}

/**
 * Where events and read models live. Read models, checkpoints and the mail queue stay in SQL:
 * PostgreSQL with DATABASE_URL, else SQLite in DATA_DIR (one instance).
 */
function storeSettings(read: EnvironmentReader): Pick<AppConfig, 'eventStore' | 'databaseUrl' | 'eventStoreUrl'> {
  const eventStore = read.oneOf('EVENT_STORE', ['sqlite', 'postgres', 'eventstoredb'] as const, 'sqlite');
  const databaseUrl = read.url('DATABASE_URL', undefined, ['postgres:', 'postgresql:']);
  if (eventStore === 'postgres' && !databaseUrl) read.refuse('DATABASE_URL is required when EVENT_STORE=postgres');
  const eventStoreUrl = kurrentUrl(read.text('EVENTSTORE_URL'), read.problems);
  if (eventStore === 'eventstoredb' && !eventStoreUrl)
    read.refuse(
      'EVENTSTORE_URL is required when EVENT_STORE=eventstoredb (e.g. ' +
        'kurrentdb://127.0.0.1:2113?tls=false); DATABASE_URL then says where read models go',
    );
  return { eventStore, databaseUrl, eventStoreUrl };
}

function mailSettings(read: EnvironmentReader): AppConfig['mail'] {
  const transport = read.oneOf('MAIL_TRANSPORT', ['outbox', 'mailgun'] as const, 'outbox');
  if (transport === 'outbox' && read.production)
    read.refuse(
      'MAIL_TRANSPORT=outbox is refused in production: it serves every email, ' +
        'personal links included, at /api/dev/outbox',
    );
  const mailgun =
    transport === 'mailgun'
      ? {
          apiKey: read.required('MAILGUN_API_KEY', 'when MAIL_TRANSPORT=mailgun'),
          domain: read.required('MAILGUN_DOMAIN', 'when MAIL_TRANSPORT=mailgun'),
          url: read.url('MAILGUN_URL', 'https://api.eu.mailgun.net', ['https:', 'http:'])!,
          timeoutMs: read.integer('MAILGUN_TIMEOUT_MS', 30_000, 100, 300_000),
          webhookSigningKey: read.text('MAILGUN_WEBHOOK_SIGNING_KEY'),
        }
      : undefined;
  return {
    transport,
    from: read.text('MAIL_FROM') ?? 'Patient invitations <no-reply@localhost>',
    mailgun,
    maxAttempts: read.integer('MAIL_MAX_ATTEMPTS', 8, 1, 100),
  };
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
