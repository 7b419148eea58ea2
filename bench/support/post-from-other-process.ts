import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface TimedAnswer<T> {
  status: number;
  ms: number;
  /** The answer's body as it crossed the network (compressed when the service compressed it). */
  wireBytes: number;
  body: T;
}

/**
 * POSTs `body` from another Node process and returns what it measured: the time a client waits,
 * without the client's own reading of the answer competing with the server on its event loop. An
 * object is sent as JSON; bytes as they are, with the content type given.
 */
export async function postFromOtherProcess<T>(
  url: string,
  headers: Record<string, string>,
  body: object | Buffer,
  contentType = 'application/json',
): Promise<TimedAnswer<T>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-post-'));
  try {
    const file = join(dir, 'body');
    writeFileSync(file, Buffer.isBuffer(body) ? body : JSON.stringify(body));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(__dirname, 'timed-post.js'), url, JSON.stringify({ ...headers, 'Content-Type': contentType }), file],
      { maxBuffer: 256 * 1024 * 1024 },
    );
    return JSON.parse(stdout) as TimedAnswer<T>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
