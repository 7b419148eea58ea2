/**
 * npm run bench:platforms [-- --invitations=1000000 --seconds=20 --connections=50]
 * Nest on Express (what the service runs on) next to Nest on Fastify, on the same data and the same
 * load as `bench:http`: a constant JSON route on each platform (the platform's own ceiling), then the
 * service's own list (first page) and GET /api/me, served by the same application module on each
 * platform in turn, over the same SQLite file. On Fastify the app is wired with the module, the global
 * prefix, the problem filter and the validation pipe only: the Express middleware in front of the
 * service (security headers, compression, the portal, the body guards) has no Fastify twin yet, so the
 * Fastify figures are an upper bound of what switching would give.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import request from 'supertest';
import { ProcessorRunner } from '@app/event-processing';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { identityProblem } from '@app/identity';
import { invitationProblem } from '@app/invitations';
import { ProblemDetailsFilter, validationPipe } from '@app/problem-details';
import { webhookProblem } from '@app/webhooks';
import { AppModule } from '../apps/api/app.module';
import { loadConfig } from '../apps/api/config/app-config';
import { storeProblem } from '../apps/api/http/store-problems';
import { withServiceSecrets } from '../apps/api/secrets/service-secrets';
import { startBenchApp } from './support/bench-app';
import { constantApp, type Figures, load, print } from './support/http-load';
import { benchArgs, fmt } from './support/measure';
import { seedInvitations } from './support/seed-invitations';

const INVITATIONS = Number(benchArgs.get('invitations') ?? 1_000_000);
const settings = {
  connections: Number(benchArgs.get('connections') ?? 50),
  duration: Number(benchArgs.get('seconds') ?? 20),
};

/** The service's application module on Fastify, over the data directory the Express run left. */
async function fastifyApp(dataDir: string): Promise<{ base: string; close(): Promise<void> }> {
  const config = await withServiceSecrets(
    loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      DATA_DIR: dataDir,
      PASSWORD_HASH_COST: '10',
    }),
  );
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new ProblemDetailsFilter([identityProblem, invitationProblem, webhookProblem, storeProblem]));
  app.useGlobalPipes(validationPipe());
  await app.listen(0, '127.0.0.1');
  await app.get(ProcessorRunner).stop();
  return {
    base: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`,
    close: () => app.close(),
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-platforms-'));
  const rows: [string, Figures, Figures][] = [];
  try {
    const express = await startBenchApp({ DATA_DIR: dataDir, PUBLIC_RATE_LIMIT: '1000000' });
    const runner = express.app.get(ProcessorRunner);
    await runner.stop();
    const me = (await request(express.server).get('/api/me').set(express.auth)).body;
    await seedInvitations(express.app.get<EventStore>(EVENT_STORE), INVITATIONS, express.deployment, me.id);
    await runner.rebuild('invitation-lists');
    await runner.stop();
    const pageBytes = Buffer.byteLength(
      JSON.stringify(
        (await request(express.server).get(`/api/deployments/${express.deployment}/invitations`).set(express.auth))
          .body,
      ),
    );
    const { auth, deployment } = express;
    const paths = { list: `/deployments/${deployment}/invitations`, me: '/me' };

    const onExpress = { constant: null as Figures | null, list: null as Figures | null, me: null as Figures | null };
    const constantExpress = await constantApp(pageBytes, 'express');
    onExpress.constant = await load('constant JSON', constantExpress.url, settings);
    await constantExpress.close();
    await new Promise<void>((resolve) => express.server.listen(0, '127.0.0.1', resolve));
    const expressBase = `http://127.0.0.1:${(express.server.address() as AddressInfo).port}/api`;
    onExpress.list = await load('list, first page', `${expressBase}${paths.list}`, { ...settings, headers: auth });
    onExpress.me = await load('GET /api/me', `${expressBase}${paths.me}`, { ...settings, headers: auth });
    await express.close();

    const constantFastify = await constantApp(pageBytes, 'fastify');
    const fastifyConstant = await load('constant JSON', constantFastify.url, settings);
    await constantFastify.close();
    const fastify = await fastifyApp(dataDir);
    const check = await fetch(`${fastify.base}${paths.list}`, { headers: auth });
    if (check.status !== 200) throw new Error(`the list on Fastify answered ${check.status}`);
    const fastifyList = await load('list, first page', `${fastify.base}${paths.list}`, { ...settings, headers: auth });
    const fastifyMe = await load('GET /api/me', `${fastify.base}${paths.me}`, { ...settings, headers: auth });
    await fastify.close();
    rows.push(
      ['constant JSON, no guard', onExpress.constant, fastifyConstant],
      ['list, first page', onExpress.list, fastifyList],
      ['GET /api/me', onExpress.me, fastifyMe],
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model}, ${fmt(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  console.log(
    `${fmt(INVITATIONS)} invitations, ${settings.connections} connections, ${settings.duration} s each, SQLite`,
  );
  for (const [label, onExpress, onFastify] of rows) {
    print({ ...onExpress, label: `Express: ${label}` }, null);
    print({ ...onFastify, label: `Fastify: ${label}` }, null);
    console.log(`${''.padEnd(44)} Fastify ÷ Express: ${(onFastify.rps / onExpress.rps).toFixed(2)}×`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
