/**
 * Run as its own process: autocannon with the options in argv[2] (JSON), printing its result as one
 * JSON line. The load comes from another process, so the server's event loop serves and does nothing else.
 */
import autocannon from 'autocannon';

async function main(): Promise<void> {
  const result = await autocannon(JSON.parse(process.argv[2]) as autocannon.Options);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main();
