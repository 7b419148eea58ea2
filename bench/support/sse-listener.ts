/**
 * Run as its own process: reads a text/event-stream from argv[2] with the headers in argv[3] (JSON),
 * and prints, per message, `<Date.now() at arrival> <data's sentAt>` until `count` (argv[4]) have come.
 * The arrival time is taken as each chunk arrives, before any parsing, on a loop that does nothing else.
 */
async function main(): Promise<void> {
  const [url, headers, count] = [
    process.argv[2],
    JSON.parse(process.argv[3]) as Record<string, string>,
    Number(process.argv[4]),
  ];
  const response = await fetch(url, { headers });
  if (!response.ok || !response.body) throw new Error(`status ${response.status}`);
  const out: string[] = [];
  let buffered = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    const at = Date.now();
    const lines = (buffered + decoder.decode(chunk, { stream: true })).split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const sent = /"sentAt":(\d+)/.exec(line);
      if (line.startsWith('data:') && sent) out.push(`${at} ${sent[1]}`);
    }
    if (out.length >= count) break;
  }
  process.stdout.write(out.join('\n'));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
