import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { identityProblem } from '@app/identity';
import { invitationProblem } from '@app/invitations';
import { ProblemDetailsFilter, validationPipe } from '@app/problem-details';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { storeProblem } from './http/store-problems';
import { withServiceSecrets } from './secrets/service-secrets';

/** The whole application, wired as in production; tests call this too. */
export async function createApp(configured: AppConfig): Promise<NestExpressApplication> {
  const config = await withServiceSecrets(configured);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  // 10,000 addresses in one request are about 400 kB of JSON.
  app.useBodyParser('json', { limit: '2mb' });
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new ProblemDetailsFilter([identityProblem, invitationProblem, storeProblem]));
  app.useGlobalPipes(validationPipe());
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('Patient invitations').setVersion('1').addBearerAuth().build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
