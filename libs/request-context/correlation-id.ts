import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/**
 * The request's id (pino-http's, from X-Request-Id when it is well-formed), carried into every event
 * the request causes as its correlation id, so logs and the audit trail meet.
 */
export const CorrelationId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const id = context.switchToHttp().getRequest<{ id?: unknown }>().id;
  return typeof id === 'string' && id ? id : randomUUID();
});
