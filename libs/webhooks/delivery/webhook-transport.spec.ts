import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookTransport } from './webhook-transport';

describe('the webhook transport', () => {
  let server: Server;
  let port: number;
  let calls = 0;

  beforeAll(async () => {
    server = createServer((_, response) => {
      calls++;
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('connects to a name only when it resolves to an address the policy allows', async () => {
    const strict = new WebhookTransport({ allowedNetworks: [], allowLoopback: false });
    const refused = await strict.post(`http://localhost:${port}/in`, {}, '{}');
    expect(refused).toMatchObject({ status: null, error: 'localhost resolves to no address reachable for webhooks' });
    const literal = await strict.post(`http://127.0.0.1:${port}/in`, {}, '{}');
    expect(literal).toMatchObject({ status: null, error: 'the address is not reachable for webhooks' });
    expect(calls).toBe(0);
    strict.close();
    const testing = new WebhookTransport({ allowedNetworks: [], allowLoopback: true });
    expect(await testing.post(`http://localhost:${port}/in`, {}, '{}')).toMatchObject({ status: 200, error: null });
    expect(calls).toBe(1);
    testing.close();
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const transport = new WebhookTransport({ allowedNetworks: [], allowLoopback: true }, 100);
    const result = await transport.post(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, {}, '{}');
    expect(result).toMatchObject({ status: null, error: 'no answer within 100 ms' });
    transport.close();
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
});
