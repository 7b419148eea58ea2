import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fmt } from './measure';

export interface Figures {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** autocannon against `url` from a process of its own (so the load does not run on the server's event loop). */
export async function load(
  label: string,
  url: string,
  { headers = {}, connections, duration }: { headers?: Record<string, string>; connections: number; duration: number },
): Promise<Figures> {
  const options: autocannon.Options = { url, connections, duration, headers };
  const child = spawn(process.execPath, [join(__dirname, 'load-from-other-process.js'), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  await new Promise((resolve) => child.on('close', resolve));
  const result = JSON.parse(out) as autocannon.Result;
  const errors = result.errors + result.timeouts + result.non2xx;
  return { label, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors };
}

export function print(figures: Figures, baseline: Figures | null): void {
  const ratio = baseline ? `${fmt((figures.rps / baseline.rps) * 100)} %` : '';
  console.log(
    `${figures.label.padEnd(44)} ${fmt(figures.rps).padStart(7)} req/s   p50 ${String(figures.p50).padStart(4)} ms   ` +
      `p99 ${String(figures.p99).padStart(4)} ms   ${ratio.padStart(6)}${figures.errors ? `   ${figures.errors} errors` : ''}`,
  );
}

/**
 * Nest on the given platform, one route, no guard, no interceptor: a constant JSON body of `bytes`
 * bytes. What the framework and platform cost with none of our work.
 */
export async function constantApp(
  bytes: number,
  platform: 'express' | 'fastify' = 'express',
): Promise<{ url: string; close(): Promise<void> }> {
  const body = { items: [{ pad: 'x'.repeat(Math.max(0, bytes - 24)) }], nextCursor: null };
  @Controller()
  class ConstantController {
    @Get('constant')
    constant() {
      return body;
    }
  }
  @Module({ controllers: [ConstantController] })
  class ConstantModule {}
  const app =
    platform === 'fastify'
      ? await NestFactory.create<NestFastifyApplication>(ConstantModule, new FastifyAdapter(), { logger: false })
      : await NestFactory.create<NestExpressApplication>(ConstantModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/constant`,
    close: () => app.close(),
  };
}
