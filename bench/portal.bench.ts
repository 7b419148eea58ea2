/// <reference lib="dom" />
/**
 * npm run bench:portal — the portal's budgets (issue 12), from the built files and in Debian's Chromium:
 * - initial JavaScript per entry, gzipped (staff ≤ 200 KB, patient pages ≤ 60 KB), next to React's own
 *   runtime (react + react-dom) gzipped as the baseline;
 * - the patients list: from its data arriving to 50 rows in the page (≤ 100 ms), next to the same
 *   50 rows written as plain HTML in the same page;
 * - the invite dialog: 10,000 pasted addresses to "10,000 ready" (< 1 s), next to checking the same
 *   addresses with the same rule in the same page without React.
 * Loopback only; bounded in time; it starts and stops its own service.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';

const ROOT = resolve(__dirname, '../..');
const PORTAL = join(ROOT, 'dist', 'portal');
const PORT = 3931;
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: 'bench@example.org', password: 'a long bench passphrase' };

/** Signs the page's browser in as the admin: the refresh cookie is set, the portal renews from it. */
async function signIn(page: import('@playwright/test').Page): Promise<void> {
  const res = await page.context().request.post(`${BASE}/api/auth/login`, { data: ADMIN });
  if (!res.ok()) throw new Error(`sign-in answered ${res.status()}`);
}

function initialJs(page: string): number {
  const html = readFileSync(join(PORTAL, page), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  return files.reduce((sum, file) => sum + gzipSync(readFileSync(join(PORTAL, file)), { level: 9 }).length, 0);
}

function reactRuntime(): number {
  const files = [
    'react/cjs/react.production.js',
    'react-dom/cjs/react-dom-client.production.js',
    'scheduler/cjs/scheduler.production.js',
  ];
  return gzipSync(Buffer.concat(files.map((f) => readFileSync(join(ROOT, 'node_modules', f)))), { level: 9 }).length;
}

async function startService(): Promise<{ stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-portal-'));
  const child = spawn(process.execPath, ['-r', './scripts/register-paths.js', 'dist/apps/api/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PASSWORD_HASH_COST: '10',
      BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      TEST_CLOCK: 'enabled',
    },
    stdio: 'inherit',
  });
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`${BASE}/api/health`)
        .then((r) => r.ok)
        .catch(() => false)
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function json<T>(path: string, init: RequestInit = {}, token?: string): Promise<T> {
  const res = await fetch(`${BASE}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return (await res.json()) as T;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const staff = initialJs('index.html');
  const patient = initialJs('patient.html');
  const runtime = reactRuntime();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log('Initial JavaScript, gzipped (-9):');
  console.log(`  staff portal   ${kb(staff).padStart(9)}   budget 200 KB   (react + react-dom alone: ${kb(runtime)})`);
  console.log(
    `  patient pages  ${kb(patient).padStart(9)}   budget  60 KB   (react + react-dom alone: ${kb(runtime)})`,
  );

  const service = await startService();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const { accessToken } = await json<{ accessToken: string }>('/api/auth/login', {
      method: 'POST',
      body: JSON.stringify(ADMIN),
    });
    const deployment = (
      await json<{ id: string }>(
        '/api/deployments',
        { method: 'POST', body: JSON.stringify({ name: 'Bench ward' }) },
        accessToken,
      )
    ).id;
    await json(
      '/api/deployments/' + deployment + '/invitations',
      {
        method: 'POST',
        body: JSON.stringify({ emails: Array.from({ length: 60 }, (_, i) => `row${i}@example.org`), expiresIn: '7d' }),
      },
      accessToken,
    );
    await json('/api/testing/clock/advance', { method: 'POST', body: JSON.stringify({ seconds: 0 }) });

    const listTimes: number[] = [];
    const rawTimes: number[] = [];
    for (let run = 0; run < 7; run++) {
      const page = await browser.newPage();
      await signIn(page);
      // When the list's answer is in, and when its 50th row is in the page: the first minus the second is ours.
      await page.addInitScript(() => {
        const w = window as unknown as { listArrived?: number; rowsShown?: number };
        const original = window.fetch;
        window.fetch = async (...args: Parameters<typeof fetch>) => {
          const response = await original(...args);
          if (String(args[0]).includes('/invitations?')) {
            const text = await response.clone().text();
            w.listArrived = performance.now();
            void text;
          }
          return response;
        };
        new MutationObserver(() => {
          if (
            !w.rowsShown &&
            document.querySelectorAll('table[aria-label="Patient invitations"] tbody tr').length >= 50
          )
            w.rowsShown = performance.now();
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto(`${BASE}/?deployment=${deployment}`);
      await page.waitForFunction(() => (window as unknown as { rowsShown?: number }).rowsShown);
      listTimes.push(
        await page.evaluate(() => {
          const w = window as unknown as { listArrived: number; rowsShown: number };
          return w.rowsShown - w.listArrived;
        }),
      );
      rawTimes.push(
        await page.evaluate(async (token) => {
          const items = (
            await (
              await fetch(
                location.pathname === '/'
                  ? `/api/deployments/${new URLSearchParams(location.search).get('deployment')}/invitations?limit=50`
                  : '',
                { headers: { authorization: `Bearer ${token}` } },
              )
            ).json()
          ).items as { email: string; status: string; issuedAt: string; expiresAt: string }[];
          const start = performance.now();
          const table = document.createElement('table');
          const cells = (i: (typeof items)[number]) => [
            i.email,
            i.status,
            new Date(i.issuedAt).toLocaleString(),
            new Date(i.expiresAt).toLocaleString(),
          ];
          const rows = items.map(
            (i) =>
              `<tr>${cells(i)
                .map((c) => `<td>${c}</td>`)
                .join('')}</tr>`,
          );
          table.innerHTML = `<tbody>${rows.join('')}</tbody>`;
          document.body.append(table);
          table.getBoundingClientRect();
          return performance.now() - start;
        }, accessToken),
      );
      await page.close();
    }
    console.log(
      `Patients list, data in → 50 rows shown (median of 7): ${median(listTimes).toFixed(1)} ms   budget ` +
        `100 ms   (plain HTML, same rows: ${median(rawTimes).toFixed(1)} ms)`,
    );

    const pasteTimes: number[] = [];
    const checkTimes: number[] = [];
    for (let run = 0; run < 5; run++) {
      const page = await browser.newPage();
      await signIn(page);
      await page.goto(`${BASE}/?deployment=${deployment}`);
      await page.getByRole('button', { name: ADMIN.email }).click();
      await page.getByRole('menuitem', { name: 'Invite Patients' }).click();
      const field = page.getByLabel('Email addresses');
      await field.focus();
      pasteTimes.push(
        await field.evaluate(async (el) => {
          const text = Array.from({ length: 10_000 }, (_, i) => `patient${i}@example.org`).join('\n');
          const data = new DataTransfer();
          data.setData('text/plain', text);
          const start = performance.now();
          el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
          for (;;) {
            await new Promise((r) => requestAnimationFrame(r));
            if (document.body.textContent?.includes('10,000 ready')) return performance.now() - start;
          }
        }),
      );
      checkTimes.push(
        await page.evaluate(() => {
          // The same work without React: split, and a simple check per address, into 10,000 spans.
          const text = Array.from({ length: 10_000 }, (_, i) => `patient${i}@example.org`).join('\n');
          const start = performance.now();
          const box = document.createElement('div');
          for (const a of text.split(/\n/))
            if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(a))
              box.append(Object.assign(document.createElement('span'), { textContent: a }));
          document.body.append(box);
          box.getBoundingClientRect();
          return performance.now() - start;
        }),
      );
      await page.close();
    }
    console.log(
      `Invite dialog, 10,000 pasted → "10,000 ready" (median of 5): ${median(pasteTimes).toFixed(0)} ms   ` +
        `budget 1000 ms   (plain DOM, 10,000 spans: ${median(checkTimes).toFixed(0)} ms)`,
    );
  } finally {
    await browser.close();
    await service.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
