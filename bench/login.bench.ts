/**
 * npm run bench:login
 * Sign-in at the production password-hash cost (PASSWORD_HASH_COST=15, scrypt with 32 MiB) through
 * the whole app over HTTP, on SQLite: CPU time per login and logins per second, one after another.
 * Baseline: one bare PasswordHasher.verify at the same cost, which is what a login should cost.
 */
import { cpus } from 'node:os';
import request from 'supertest';
import { PasswordHasher } from '../libs/identity/application/password-hasher';
import { startBenchApp } from './support/bench-app';

const LOGINS = 12;
const ADMIN = { email: 'bench@example.org', password: 'a long bench passphrase' };

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

async function main() {
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model}, node ${process.version}`);
  const hasher = new PasswordHasher(15);
  const stored = await hasher.hash(ADMIN.password);
  let cpu = process.cpuUsage();
  for (let i = 0; i < LOGINS; i++) await hasher.verify(ADMIN.password, stored);
  const rawCpu = cpuSeconds(cpu) / LOGINS;

  const { server, close } = await startBenchApp({ PASSWORD_HASH_COST: '15', PUBLIC_RATE_LIMIT: '100000' });
  try {
    cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < LOGINS; i++) {
      const res = await request(server).post('/api/auth/login').send(ADMIN);
      if (res.status !== 200) throw new Error(`login answered ${res.status}`);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const perLogin = cpuSeconds(cpu) / LOGINS;
    console.log(
      `login at cost 15: ${perLogin.toFixed(3)} CPU-s each, ${(LOGINS / seconds).toFixed(1)} logins/s in a row   ` +
        `raw scrypt verify ${rawCpu.toFixed(3)} CPU-s   (${(perLogin / rawCpu).toFixed(2)} verifications' worth)`,
    );
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
