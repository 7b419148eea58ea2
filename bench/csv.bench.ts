/**
 * npm run bench:csv [-- --profile=csv.cpuprofile]
 * POST …/invitations/csv-preview with 100,000 rows (about 4 MB: header, quotes, a name column, 1%
 * invalid, 1% repeated) through the whole app over HTTP, on SQLite, from a client in its own process
 * that accepts a compressed answer as a browser does. Baseline: csv-parse alone over the same bytes.
 * Memory: peak RSS and heap sampled every 10 ms during the request. Prints the answer's size as sent.
 */
import { parse } from 'csv-parse';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { startBenchApp } from './support/bench-app';
import { profiled } from './support/cpu-profile';
import { benchArgs } from './support/measure';
import { postFromOtherProcess } from './support/post-from-other-process';

interface Preview {
  total: number;
  invalid: unknown[];
  duplicates: unknown[];
}

function file(rows: number): Buffer {
  const lines = ['"Email","Full name","Ward"'];
  for (let i = 0; i < rows; i++) {
    const email =
      i % 100 === 7 ? `broken${i}@` : i % 100 === 9 ? `patient${i - 1}@example.org` : `patient${i}@example.org`;
    lines.push(`"${email}","Patient, Number ${i}",Ward ${i % 12}`);
  }
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`);
}

async function main() {
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model}, node ${process.version}`);
  const { server, auth, deployment, close } = await startBenchApp();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/deployments/${deployment}/invitations/csv-preview`;
  try {
    for (const rows of [10_000, 100_000]) {
      const body = file(rows);
      const rawStart = process.hrtime.bigint();
      let records = 0;
      for await (const _ of parse(body, { relax_column_count: true, bom: true })) records++;
      const rawMs = Number(process.hrtime.bigint() - rawStart) / 1e6;
      global.gc?.();
      const before = process.memoryUsage();
      let peakRss = before.rss;
      let peakHeap = before.heapUsed;
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      }, 10);
      const res = await profiled(rows === 100_000 ? benchArgs.get('profile') : undefined, () =>
        postFromOtherProcess<Preview>(url, auth, body, 'text/csv'),
      );
      const { ms } = res;
      clearInterval(sampler);
      if (res.status !== 200 || res.body.total !== rows)
        throw new Error(`preview answered ${res.status} with ${res.body.total} rows`);
      const mb = (n: number) => (n / 2 ** 20).toFixed(0);
      console.log(
        `${String(rows).padStart(7)} rows (${mb(body.length)} MB): ${ms.toFixed(0).padStart(5)} ms   ` +
          `raw csv-parse ${rawMs.toFixed(0).padStart(4)} ms (${records} records)   ` +
          `peak RSS +${mb(peakRss - before.rss)} MB, heap +${mb(peakHeap - before.heapUsed)} MB   ` +
          `(${res.body.invalid.length} invalid, ${res.body.duplicates.length} repeated)   ` +
          `answer ${(res.wireBytes / 2 ** 10).toFixed(0)} KiB as sent`,
      );
    }
  } finally {
    await close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
