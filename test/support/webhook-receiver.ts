import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request as the receiver got it. */
export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  body: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> & { events?: ReceivedEvent[] } };
}

export interface ReceivedEvent {
  id: string;
  position: string;
  type: string;
  metadata: { deploymentId?: string };
  data: Record<string, unknown>;
}

/**
 * A webhook receiver on a loopback port: records every request, answers what `answer` says (200 by
 * default), and checks signatures with the Standard Webhooks library, not with our own code.
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  answer: (delivery: ReceivedDelivery) => number | Promise<number> = () => 200;
  private server: Server | null = null;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', async () => {
        const delivery = { headers: request.headers, body, payload: JSON.parse(body) };
        this.received.push(delivery);
        const status = await this.answer(delivery);
        response.writeHead(status, status >= 300 && status < 400 ? { location: 'http://127.0.0.1:9/elsewhere' } : {});
        response.end();
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The events of every delivery answered or not, in arrival order, batches opened. */
  events(): ReceivedEvent[] {
    return this.received.flatMap((d) =>
      d.payload.type === 'batch'
        ? d.payload.data.events!
        : d.payload.type === 'webhook.test'
          ? []
          : [d.payload.data as unknown as ReceivedEvent],
    );
  }

  /**
   * Does the delivery's signature verify under this secret? Computed by the Standard Webhooks
   * library; its five-minute window is left out, since tests move the service's clock by days.
   */
  static verifies(delivery: ReceivedDelivery, secret: string): boolean {
    const id = String(delivery.headers['webhook-id']);
    const at = new Date(Number(delivery.headers['webhook-timestamp']) * 1000);
    const expected = new Webhook(secret).sign(id, at, delivery.body);
    return String(delivery.headers['webhook-signature']).split(' ').includes(expected);
  }

  /** Resolves once `ready` holds, checking every 20 ms; rejects after `timeoutMs`. */
  async until(ready: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (Date.now() > deadline) throw new Error(`The receiver did not get what was awaited within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
