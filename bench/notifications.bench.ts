/**
 * npm run bench:notifications [-- --profile=mail.cpuprofile]
 * 10,000 invitations issued in one request (from a client in its own process), until every recipient
 * has reached a local Mailgun-compatible server that answers each call in 50 ms (SQLite store, the
 * real dispatcher); also from the answer on. Baseline: ten mailgun.js batch calls of 1,000
 * recipients to the same server, nothing else.
 */
import FormData from 'form-data';
import Mailgun from 'mailgun.js';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { FakeMailgun } from '../test/support/fake-mailgun';
import { startBenchApp } from './support/bench-app';
import { profiled } from './support/cpu-profile';
import { benchArgs } from './support/measure';
import { postFromOtherProcess } from './support/post-from-other-process';
const N = 10_000;

async function baseline(url: string, mailgun: FakeMailgun): Promise<number> {
  const client = new Mailgun(FormData).client({ username: 'api', key: 'key', url });
  const start = process.hrtime.bigint();
  for (let b = 0; b < N / 1000; b++) {
    const to = Array.from({ length: 1000 }, (_, i) => `base${b}-${i}@example.org`);
    const variables = Object.fromEntries(
      to.map((t) => [t, { link: `http://localhost:3000/invite/${'x'.repeat(80)}` }]),
    );
    await client.messages.create('mg.example.org', {
      from: 'a@example.org',
      to,
      subject: 's',
      text: 't %recipient.link%',
      html: '<p>h</p>',
      'recipient-variables': JSON.stringify(variables),
    });
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  mailgun.requests.length = 0;
  return ms;
}

async function main() {
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model}, node ${process.version}`);
  const mailgun = new FakeMailgun();
  const url = await mailgun.start();
  mailgun.delayMs = 50;
  const rawMs = await baseline(url, mailgun);
  const { server, auth, deployment, close } = await startBenchApp({
    MAIL_TRANSPORT: 'mailgun',
    MAILGUN_API_KEY: 'key',
    MAILGUN_DOMAIN: 'mg.example.org',
    MAILGUN_URL: url,
  });
  try {
    const emails = Array.from({ length: N }, (_, i) => `patient${i}@example.org`);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const invitations = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/deployments/${deployment}/invitations`;
    const start = process.hrtime.bigint();
    const { answeredMs, allMs } = await profiled(benchArgs.get('profile'), async () => {
      const res = await postFromOtherProcess(invitations, auth, { emails, expiresIn: '7d' });
      if (res.status !== 201) throw new Error(`invite answered ${res.status}`);
      while (mailgun.delivered().size < N) {
        if (Number(process.hrtime.bigint() - start) / 1e9 > 120)
          throw new Error(`only ${mailgun.delivered().size} handed over after 120 s`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return { answeredMs: res.ms, allMs: Number(process.hrtime.bigint() - start) / 1e6 };
    });
    const calls = mailgun.requests.length;
    console.log(
      `10,000 invitations: request answered in ${answeredMs.toFixed(0)} ms; all handed to Mailgun after ` +
        `${allMs.toFixed(0)} ms in ${calls} calls (${(allMs - answeredMs).toFixed(0)} ms after the answer)   ` +
        `raw 10 batch calls ${rawMs.toFixed(0)} ms = ${(allMs / rawMs).toFixed(1)}×   target ≤ 3×`,
    );
  } finally {
    await close();
    await mailgun.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
