import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { SwaggerModule } from '@nestjs/swagger';
import { openApiDocument } from './openapi-document';
import { identityProblem } from '@app/identity';
import { invitationProblem } from '@app/invitations';
import { webhookProblem } from '@app/webhooks';
import { ProblemDetailsFilter, validationPipe } from '@app/problem-details';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { refuseUnreadableBodies, refuseUnstorableText } from './http/request-hygiene';
import { storeProblem } from './http/store-problems';
import { noStoreForApi, securityHeaders } from './http/security-headers';
import { servePortal } from './http/portal';
import { compressedAnswers } from './http/compressed-answers';
import { foregroundRequests } from './http/foreground-requests';
import { ForegroundWork } from '@app/event-processing';
import { checkDataDir } from './config/data-dir';
import { withServiceSecrets } from './secrets/service-secrets';

/** The whole application, wired as in production; tests call this too. */
export async function createApp(configured: AppConfig): Promise<NestExpressApplication> {
  checkDataDir(configured);
  const config = await withServiceSecrets(configured);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  // 10,000 addresses in one request are about 400 kB of JSON; a CSV upload streams up to its own limit.
  const jsonLimit = 2 * 1024 * 1024;
  const csvLimit = config.csv.maxBytes + 64 * 1024;
  app.use(foregroundRequests(app.get(ForegroundWork), (req) => req.path === '/api/events/stream'));
  app.use(securityHeaders());
  app.use(noStoreForApi);
  app.use(compressedAnswers());
  app.use(servePortal());
  app.use(
    refuseUnreadableBodies((req) =>
      req.path.endsWith('/csv-preview')
        ? { bytes: csvLimit, code: 'file_too_large' }
        : { bytes: jsonLimit, code: 'payload_too_large' },
    ),
  );
  app.useBodyParser('json', { limit: jsonLimit });
  // Only the OAuth token endpoint takes a form (RFC 6749); its few short fields fit in 8 kB.
  app.useBodyParser('urlencoded', { limit: 8 * 1024, extended: false });
  app.use(refuseUnstorableText);
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new ProblemDetailsFilter([identityProblem, invitationProblem, webhookProblem, storeProblem]));
  app.useGlobalPipes(validationPipe());
  app.disable('x-powered-by');
  // The client's address (rate limits count per client) is the one this many proxies vouch for.
  app.set('trust proxy', config.trustProxy);
  app.enableShutdownHooks();
  SwaggerModule.setup('api/docs', app, openApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
