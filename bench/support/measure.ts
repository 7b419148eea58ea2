/** `--name=value` arguments of a benchmark. */
export const benchArgs = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));

/** A count as people read it: 1,000,000. */
export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** How long `fn` took, and what it gave. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, value };
}

/** Runs `run` n times and prints its p50 and p99 latency. */
export async function latencies(label: string, run: () => Promise<unknown> | unknown, n = 500): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))].toFixed(2);
  console.log(`${label.padEnd(52)} p50 ${pct(50).padStart(7)} ms   p99 ${pct(99).padStart(7)} ms`);
}
