import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { ForegroundWork } from '@app/event-processing';
import { foregroundRequests } from './foreground-requests';

describe('requests as foreground work', () => {
  function appWith(work: ForegroundWork, route: express.RequestHandler, longLived?: (req: express.Request) => boolean) {
    const app = express();
    app.use(foregroundRequests(work, longLived));
    app.get('/', route);
    return app;
  }

  it('is in flight while it is answered, and over once the answer is written', async () => {
    const work = new ForegroundWork();
    const app = appWith(work, (_req, res) => {
      res.json({ busyWhileAnswering: work.busy });
    });
    const res = await request(app).get('/');
    expect(res.body).toEqual({ busyWhileAnswering: true });
    expect(work.busy).toBe(false);
  });

  it('is over when the client goes away before the answer', async () => {
    const work = new ForegroundWork();
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const server = appWith(work, () => arrived()).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const client = httpRequest({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', path: '/' });
      client.on('error', () => undefined);
      client.end();
      await arrival;
      expect(work.busy).toBe(true);
      client.destroy();
      await work.giveWay(60_000);
      expect(work.busy).toBe(false);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('leaves out a long-lived request (a live event stream): the background is not held back while it is open', async () => {
    const work = new ForegroundWork();
    const app = appWith(
      work,
      (_req, res) => {
        res.json({ busyWhileAnswering: work.busy });
      },
      (req) => req.path === '/',
    );
    expect((await request(app).get('/')).body).toEqual({ busyWhileAnswering: false });
  });
});
