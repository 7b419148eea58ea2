import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ProcessorRunner } from '@app/event-processing';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config/app-config';
import { withServiceSecrets } from './secrets/service-secrets';

/**
 * npm run replay: rebuilds every read model from position zero (never the integrity chain, a record), one processor after another, and
 * prints events/s. Run it with the service stopped, or it waits for each processor's lock.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = { ...loadConfig(process.env), logLevel: process.env.LOG_LEVEL ?? 'warn' };
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot(await withServiceSecrets(config), { replay: true }),
    { logger: ['error', 'warn'] },
  );
  const runner = app.get(ProcessorRunner);
  for (const name of runner.rebuildableNames()) {
    const started = process.hrtime.bigint();
    const events = await runner.rebuild(name);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(
      `${name.padEnd(24)} ${String(events).padStart(10)} events in ${seconds.toFixed(2)} s  ` +
        `(${Math.round(events / Math.max(seconds, 1e-9))} events/s)\n`,
    );
  }
  await app.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`Replay failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
