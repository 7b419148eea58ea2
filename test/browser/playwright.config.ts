import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The portal in a real browser: Debian's Chromium (Playwright's own downloads are unreachable here),
 * against the whole service on SQLite with the outbox and the test clock, started from the sources.
 * One worker: the tests share the service and its clock.
 */
const PORT = Number(process.env.PORTAL_E2E_PORT ?? 3917);
process.env.PORTAL_E2E_DATA ??= mkdtempSync(join(tmpdir(), 'portal-e2e-'));
const root = resolve(__dirname, '../..');

export const ADMIN = { email: 'admin@example.org', password: 'correct horse battery staple 42' };

export default defineConfig({
  testDir: __dirname,
  testMatch: '**/*.browser.ts',
  outputDir: join(root, 'test-results'),
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `node -r ./test/support/run-typescript.js apps/api/main.ts`,
    cwd: root,
    url: `http://127.0.0.1:${PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATA_DIR: process.env.PORTAL_E2E_DATA,
      TEST_CLOCK: 'enabled',
      BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      PASSWORD_HASH_COST: '10',
      PUBLIC_RATE_LIMIT: '100000',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
    },
  },
});
