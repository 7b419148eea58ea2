/**
 * Run as its own process: `count` (argv[2]) webhook receivers on loopback, each answering every
 * request with 200 after `delayMs` (argv[3]). Prints their URLs as one JSON line, then, once each
 * has received `expected` (argv[4]) events (a batch counts its events), `<ms from the first request
 * to the last> <requests> <events>` and exits.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

async function main(): Promise<void> {
  const [count, delayMs, expected] = process.argv.slice(2, 5).map(Number);
  const received = new Array<number>(count).fill(0);
  let requests = 0;
  let first = 0;
  const urls = await Promise.all(
    received.map(async (_, i) => {
      const server = createServer((request, response) => {
        first ||= Date.now();
        requests++;
        let body = '';
        request.setEncoding('utf8');
        request.on('data', (chunk: string) => (body += chunk));
        request.on('end', () => {
          const payload = JSON.parse(body) as { type: string; data: { events?: unknown[] } };
          setTimeout(() => {
            response.end();
            received[i] += payload.type === 'batch' ? payload.data.events!.length : 1;
            if (received.every((n) => n >= expected)) {
              process.stdout.write(`${Date.now() - first} ${requests} ${received.reduce((a, b) => a + b)}\n`, () =>
                process.exit(0),
              );
            }
          }, delayMs);
        });
      });
      server.keepAliveTimeout = 60_000;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/${i}`;
    }),
  );
  process.stdout.write(`${JSON.stringify(urls)}\n`);
}

void main();
