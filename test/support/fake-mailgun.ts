import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  authorization: string | undefined;
  fields: Map<string, string[]>;
}

export interface ScriptedAnswer {
  status: number;
  /** Instead of answering: drop the connection, or never answer. */
  fault?: 'reset' | 'hang';
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Speaks enough of Mailgun's messages API for mailgun.js: parses the real multipart body, records
 * every request, and answers from a script (429 with Retry-After, 5xx …) or with 200.
 */
export class FakeMailgun {
  readonly requests: RecordedRequest[] = [];
  readonly script: ScriptedAnswer[] = [];
  delayMs = 0;
  url = '';
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.answer(req).then(({ status, headers, body, fault }) => {
        if (fault === 'reset') return req.socket.destroy();
        if (fault === 'hang') return;
        setTimeout(() => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(body));
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Every address that was handed over with a 200, with how often. */
  delivered(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.requests.filter((r) => (r as RecordedRequest & { status?: number }).status === 200)) {
      for (const to of r.fields.get('to') ?? []) counts.set(to, (counts.get(to) ?? 0) + 1);
    }
    return counts;
  }

  private async answer(req: IncomingMessage): Promise<ScriptedAnswer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(req.headers['content-type'] ?? '');
    const fields = boundary
      ? parseMultipart(Buffer.concat(chunks).toString('utf8'), boundary[1] ?? boundary[2])
      : new Map<string, string[]>();
    const answer = this.script.shift() ?? {
      status: 200,
      body: { id: `<${this.requests.length}@fake.mailgun>`, message: 'Queued. Thank you.' },
    };
    this.requests.push(
      Object.assign(
        { path: req.url ?? '', authorization: req.headers.authorization, fields },
        { status: answer.status },
      ),
    );
    return { ...answer, body: answer.body ?? { message: `scripted ${answer.status}` } };
  }
}

function parseMultipart(body: string, boundary: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const part of body.split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split === -1) continue;
    const name = /name="([^"]+)"/.exec(part.slice(0, split))?.[1];
    if (!name) continue;
    const value = part.slice(split + 4).replace(/\r\n$/, '');
    fields.set(name, [...(fields.get(name) ?? []), value]);
  }
  return fields;
}

/** The service's environment for sending through a (local) Mailgun at `url`. */
export function mailgunEnv(url: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    MAIL_TRANSPORT: 'mailgun',
    MAILGUN_API_KEY: 'key-test-123',
    MAILGUN_DOMAIN: 'mg.example.org',
    MAILGUN_URL: url,
    MAIL_FROM: 'Care team <care@example.org>',
    ...extra,
  };
}
