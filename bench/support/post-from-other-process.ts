import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface TimedAnswer<T> {
  status: number;
  ms: number;
  body: T;
}

/**
 * POSTs `body` as JSON from another Node process and returns what it measured: the time a client
 * waits, without the client's own reading of the answer competing with the server on its event loop.
 */
export async function postFromOtherProcess<T>(
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<TimedAnswer<T>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-post-'));
  try {
    const file = join(dir, 'body.json');
    writeFileSync(file, JSON.stringify(body));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(__dirname, 'timed-post.js'), url, JSON.stringify(headers), file],
      { maxBuffer: 256 * 1024 * 1024 },
    );
    return JSON.parse(stdout) as TimedAnswer<T>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
