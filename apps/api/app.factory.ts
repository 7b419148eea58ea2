import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { identityProblem } from '@app/identity';
import { ProblemDetailsFilter, validationPipe } from '@app/problem-details';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';

/** The whole application, wired as in production; tests call this too. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new ProblemDetailsFilter([identityProblem]));
  app.useGlobalPipes(validationPipe());
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  return app;
}
