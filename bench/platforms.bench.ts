/**
 * npm run bench:platforms [-- --invitations=1000000 --seconds=20 --connections=50]
 * Nest on Express (what the service runs on) next to Nest on Fastify, on the same data and the same
 * load as `bench:http`: a constant JSON route on each platform (the platform's own ceiling); and the
 * list's first page and GET /api/me from the service as it runs (Express, every middleware), and from
 * the application module alone (global prefix, problem filter, validation pipe, no middleware) on
 * Express and on Fastify in turn, over the same SQLite file. The last two compare the platforms
 * alone; the first shows what the middleware in front of the service costs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
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

/**
 * The service's application module alone (no middleware in front of it) on either platform, over the
 * data directory the first run left: what the platform itself changes.
 */
async function moduleApp(
  dataDir: string,
  platform: 'express' | 'fastify',
): Promise<{ base: string; close(): Promise<void> }> {
  const config = await withServiceSecrets(
    loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      DATA_DIR: dataDir,
      PASSWORD_HASH_COST: '10',
    }),
  );
  // As the Express run left them: processors stopped (else the mail sender would queue a million emails).
  const module = AppModule.forRoot(config, { replay: true });
  const app =
    platform === 'fastify'
      ? await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), { bufferLogs: true })
      : await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new ProblemDetailsFilter([identityProblem, invitationProblem, webhookProblem, storeProblem]));
  app.useGlobalPipes(validationPipe());
  await app.listen(0, '127.0.0.1');
  return {
    base: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`,
    close: () => app.close(),
  };
}

/** The list's first page and GET /api/me under load at `base`. */
async function measure(
  base: string,
  headers: Record<string, string>,
  paths: { list: string; me: string },
): Promise<{ list: Figures; me: Figures }> {
  const check = await fetch(`${base}${paths.list}`, { headers });
  if (check.status !== 200) throw new Error(`the list at ${base} answered ${check.status}`);
  return {
    list: await load('list, first page', `${base}${paths.list}`, { ...settings, headers }),
    me: await load('GET /api/me', `${base}${paths.me}`, { ...settings, headers }),
  };
}

/** The constant route's figures on one platform. */
async function constantOn(platform: 'express' | 'fastify', bytes: number): Promise<Figures> {
  const app = await constantApp(bytes, platform);
  try {
    return await load('constant JSON', app.url, settings);
  } finally {
    await app.close();
  }
}

/** The list and /api/me from the application module alone on one platform. */
async function moduleOn(
  platform: 'express' | 'fastify',
  dataDir: string,
  headers: Record<string, string>,
  paths: { list: string; me: string },
): Promise<{ list: Figures; me: Figures }> {
  const app = await moduleApp(dataDir, platform);
  try {
    return await measure(app.base, headers, paths);
  } finally {
    await app.close();
  }
}

interface Row {
  label: string;
  /** The service as it runs (Express with every middleware); none for the constant route. */
  service?: Figures;
  express: Figures;
  fastify: Figures;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-platforms-'));
  const rows: Row[] = [];
  try {
    const express = await startBenchApp({ DATA_DIR: dataDir, PUBLIC_RATE_LIMIT: '1000000' });
    const runner = express.app.get(ProcessorRunner);
    await runner.stop();
    const me = (await request(express.server).get('/api/me').set(express.auth)).body;
    await seedInvitations(express.app.get<EventStore>(EVENT_STORE), INVITATIONS, express.deployment, me.id);
    await runner.rebuild('invitation-lists');
    await runner.stop();
    const { auth, deployment } = express;
    const paths = { list: `/deployments/${deployment}/invitations`, me: '/me' };
    const page = (await request(express.server).get(`/api${paths.list}`).set(auth)).body;
    const pageBytes = Buffer.byteLength(JSON.stringify(page));

    await new Promise<void>((resolve) => express.server.listen(0, '127.0.0.1', resolve));
    const service = await measure(
      `http://127.0.0.1:${(express.server.address() as AddressInfo).port}/api`,
      auth,
      paths,
    );
    await express.close();
    const onExpress = await moduleOn('express', dataDir, auth, paths);
    const onFastify = await moduleOn('fastify', dataDir, auth, paths);
    rows.push(
      {
        label: 'constant JSON, no guard',
        express: await constantOn('express', pageBytes),
        fastify: await constantOn('fastify', pageBytes),
      },
      { label: 'list, first page', service: service.list, express: onExpress.list, fastify: onFastify.list },
      { label: 'GET /api/me', service: service.me, express: onExpress.me, fastify: onFastify.me },
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
  console.log('service: the service as it runs (Express, every middleware); module: the application module alone');
  for (const { label, service, express, fastify } of rows) {
    if (service) print({ ...service, label: `service on Express: ${label}` }, null);
    print({ ...express, label: `module on Express: ${label}` }, null);
    print({ ...fastify, label: `module on Fastify: ${label}` }, null);
    console.log(`${''.padEnd(44)} Fastify ÷ Express: ${(fastify.rps / express.rps).toFixed(2)}×`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
