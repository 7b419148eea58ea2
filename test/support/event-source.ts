import type { AddressInfo } from 'node:net';
import type { TestApp } from './test-app';

export interface ServerSentEvent {
  id?: string;
  event?: string;
  data: string;
}

/** The app listening on a loopback port, for clients that are not supertest (fetch, a second process). */
export async function listening(t: TestApp): Promise<string> {
  if (!t.server.listening) await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
}

/**
 * Reads a `text/event-stream` answer as the HTML standard says a client parses it (lines, `field:
 * value`, a blank line ends an event, `:` starts a comment), handing each event and comment to
 * `onEvent`; stops when it returns false or the stream ends. Returns the answer's status.
 */
export async function readEventStream(
  url: string,
  headers: Record<string, string>,
  onEvent: (event: ServerSentEvent | { comment: string }) => boolean | void,
): Promise<number> {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    return response.status;
  }
  const decoder = new TextDecoder();
  let buffered = '';
  let current: Partial<ServerSentEvent> & { data?: string } = {};
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      const lines = (buffered + decoder.decode(chunk, { stream: true })).split('\n');
      buffered = lines.pop()!; // an unfinished line waits for the next chunk
      for (const raw of lines) {
        const line = raw.replace(/\r$/, '');
        if (line === '') {
          if (current.data !== undefined && onEvent(current as ServerSentEvent) === false) return response.status;
          current = {};
        } else if (line.startsWith(':')) {
          if (onEvent({ comment: line.slice(1).trim() }) === false) return response.status;
        } else {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'data') current.data = current.data === undefined ? value : `${current.data}\n${value}`;
          else if (field === 'id' || field === 'event') current[field] = value;
        }
      }
    }
  } finally {
    abort.abort();
  }
  return response.status;
}
