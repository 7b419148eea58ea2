import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { ProcessorRunner } from '@app/event-processing';
import { createApp } from '../../apps/api/app.factory';
import { loadConfig } from '../../apps/api/config/app-config';

const ADMIN = { email: 'bench@example.org', password: 'a long bench passphrase' };

export interface BenchApp {
  app: NestExpressApplication;
  server: ReturnType<NestExpressApplication['getHttpServer']>;
  /** The Admin's bearer header and the Default deployment's id. */
  auth: { Authorization: string };
  deployment: string;
  close(): Promise<void>;
}

/** The whole app on a fresh SQLite file, signed in as its first Admin. */
export async function startBenchApp(env: NodeJS.ProcessEnv = {}): Promise<BenchApp> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-app-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dir,
    PASSWORD_HASH_COST: '10',
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
  const app = await createApp(config);
  await app.init();
  const server = app.getHttpServer();
  const auth = {
    Authorization: `Bearer ${(await request(server).post('/api/auth/login').send(ADMIN)).body.accessToken}`,
  };
  // The deployments list is a read model: on PostgreSQL it may not hold the Default deployment yet.
  await app.get(ProcessorRunner).waitUntilCaughtUp();
  const deployment = (await request(server).get('/api/deployments').set(auth)).body.items[0].id;
  return {
    app,
    server,
    auth,
    deployment,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
