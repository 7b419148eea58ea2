import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { createApp } from './app.factory';
import { loadConfig } from './config/app-config';
import { openApiDocument } from './openapi-document';
import { restReference } from './rest-reference';

/**
 * The routes some mail settings add: the development outbox (MAIL_TRANSPORT=outbox) and Mailgun's
 * webhook (MAIL_TRANSPORT=mailgun with a signing key). The document describes both; the keys here are
 * made up for this run and never used (the app only starts, sends nothing and stops).
 */
export const DOCUMENTED_MAIL_SETTINGS: Record<string, string>[] = [
  { MAIL_TRANSPORT: 'outbox' },
  {
    MAIL_TRANSPORT: 'mailgun',
    MAILGUN_API_KEY: randomBytes(16).toString('hex'),
    MAILGUN_DOMAIN: 'mg.invalid',
    MAILGUN_URL: 'http://127.0.0.1:9',
    MAILGUN_WEBHOOK_SIGNING_KEY: randomBytes(16).toString('hex'),
  },
];

/** One document for the API whatever the mail settings: each setting's routes merged into the first's. */
export function mergeDocuments(documents: OpenAPIObject[]): OpenAPIObject {
  const [first, ...others] = documents;
  for (const other of others) {
    for (const [path, operations] of Object.entries(other.paths)) first.paths[path] ??= operations;
    for (const [name, schema] of Object.entries(other.components?.schemas ?? {}))
      first.components!.schemas![name] ??= schema;
  }
  return first;
}

/**
 * npm run openapi: writes openapi.json at the repository root and docs/rest-reference.md from it. A
 * test fails when either differs from what the service serves.
 */
async function main(): Promise<void> {
  const documents: OpenAPIObject[] = [];
  for (const mail of DOCUMENTED_MAIL_SETTINGS) {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    try {
      const app = await createApp(loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', DATA_DIR: dir, ...mail }));
      await app.init();
      documents.push(openApiDocument(app));
      await app.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const document = mergeDocuments(documents);
  writeFileSync(join(process.cwd(), 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
  writeFileSync(join(process.cwd(), 'docs', 'rest-reference.md'), restReference(document));
}

if (require.main === module)
  main().catch((error: unknown) => {
    process.stderr.write(`openapi failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
