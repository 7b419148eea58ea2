import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../apps/api/app.factory';
import { loadConfig, type AppConfig } from '../../apps/api/config/app-config';
import { ProcessorRunner } from '@app/event-processing';
import { postgresUrl, temporaryPostgres } from '@app/sql/testing/test-databases';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  server: ReturnType<NestExpressApplication['getHttpServer']>;
  close(): Promise<void>;
}

/** The whole application on a fresh SQLite file (or a fresh PostgreSQL schema), served over real HTTP. */
export async function startTestApp(
  env: NodeJS.ProcessEnv = {},
  store: 'sqlite' | 'postgres' = 'sqlite',
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'invitations-app-'));
  const pg = store === 'postgres' ? await temporaryPostgres() : undefined;
  const databaseUrl = pg ? withSearchPath(postgresUrl, pg.schema) : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    // TEST_LOG_LEVEL=warn shows what the app logs while a suite runs.
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: dir,
    TEST_CLOCK: 'enabled',
    ...(pg ? { EVENT_STORE: 'postgres', DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  const app = await createApp(config);
  await app.init();
  // Read models start caught up (the bootstrap's deployment is listed), so no test races its own set-up.
  await app.get(ProcessorRunner).waitUntilCaughtUp();
  return {
    app,
    config,
    server: app.getHttpServer(),
    close: async () => {
      await app.close();
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}
