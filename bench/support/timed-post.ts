/**
 * A client in a process of its own, as a browser is: POSTs the body read from a file with the given
 * headers, asking for a compressed answer as browsers do, and prints `{ status, ms, wireBytes, body }`
 * on stdout, timed from just before the request to the whole answer decompressed and parsed.
 * `wireBytes` is the answer's body as it crossed the network. Run by `postFromOtherProcess`; not meant
 * to be run by hand.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

function post(url: string, headers: Record<string, string>, body: Buffer) {
  return new Promise<{ status: number; encoding: string; raw: Buffer }>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'Accept-Encoding': 'gzip, br', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          encoding: String(res.headers['content-encoding'] ?? ''),
          raw: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const [url, headersJson, bodyFile] = process.argv.slice(2);
  const body = readFileSync(bodyFile);
  const start = process.hrtime.bigint();
  const { status, encoding, raw } = await post(url, JSON.parse(headersJson) as Record<string, string>, body);
  const text = encoding === 'gzip' ? gunzipSync(raw) : encoding === 'br' ? brotliDecompressSync(raw) : raw;
  const answer: unknown = JSON.parse(text.toString('utf8'));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(JSON.stringify({ status, ms, wireBytes: raw.length, body: answer }));
}

void main();
