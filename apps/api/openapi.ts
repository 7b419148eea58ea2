import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from './app.factory';
import { loadConfig } from './config/app-config';
import { openApiDocument } from './openapi-document';

/**
 * npm run openapi: writes openapi.json at the repository root, the API as a fresh development start
 * serves it at /api/docs-json. A test fails when a route is missing from the committed file.
 */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
  try {
    const app = await createApp(loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', DATA_DIR: dir }));
    await app.init();
    writeFileSync(join(process.cwd(), 'openapi.json'), `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
    await app.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
