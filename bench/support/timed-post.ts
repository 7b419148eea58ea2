/**
 * A client in a process of its own, as a browser is: POSTs a JSON body read from a file and prints
 * `{ status, ms, body }` on stdout, timed from just before the request to the whole answer parsed.
 * Run by `postFromOtherProcess`; not meant to be run by hand.
 */
import { readFileSync } from 'node:fs';

async function main(): Promise<void> {
  const [url, headersJson, bodyFile] = process.argv.slice(2);
  const body = readFileSync(bodyFile, 'utf8');
  const headers = { ...JSON.parse(headersJson), 'Content-Type': 'application/json' };
  const start = process.hrtime.bigint();
  const res = await fetch(url, { method: 'POST', headers, body });
  const answer = await res.json();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(JSON.stringify({ status: res.status, ms, body: answer }));
}

void main();
