import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type {
  OperationObject,
  ParameterObject,
  ResponseObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { IDENTITY_ANSWERS, IDENTITY_PROBLEM_STATUS } from '@app/identity';
import { INTEGRITY_ANSWERS, INTEGRITY_PROBLEM_STATUS } from '@app/integrity';
import { INVITATION_ANSWERS, INVITATION_OTHER_PROBLEMS, INVITATION_PROBLEM_STATUS } from '@app/invitations';
import { NOTIFICATION_ANSWERS, WEBHOOK_PROBLEM_STATUS } from '@app/notifications';
import {
  type DeclaredProblem,
  GENERIC_PROBLEM_STATUS,
  PROBLEM_SCHEMA,
  problemType,
  schemaRef,
} from '@app/problem-details';
import { WEBHOOK_ANSWERS, WEBHOOK_ENDPOINT_PROBLEM_STATUS } from '@app/webhooks';
import { SERVICE_ANSWERS } from './http/service-answers';

/** Every problem code the API answers with, and its status: one registry, from each context's own table. */
export const PROBLEM_STATUS: Record<string, number> = {
  ...GENERIC_PROBLEM_STATUS,
  ...IDENTITY_PROBLEM_STATUS,
  ...INVITATION_PROBLEM_STATUS,
  ...INVITATION_OTHER_PROBLEMS,
  ...WEBHOOK_PROBLEM_STATUS,
  ...INTEGRITY_PROBLEM_STATUS,
  ...WEBHOOK_ENDPOINT_PROBLEM_STATUS,
};

const WRITES = new Set(['post', 'put', 'patch', 'delete']);
/** Answers that are not the service's own API (its health, its public configuration) need no store or token. */
const PLAIN = new Set(['/api/health', '/api/public/config']);

const IDEMPOTENCY_KEY: ParameterObject = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Up to 255 visible ASCII characters. The same key and body within 24 hours answer the first response ' +
    'again and change nothing; the same key with another body is refused (422 idempotency_key_reused); a ' +
    'key whose first request still runs is refused (409 idempotency_key_in_use). Scoped to the caller.',
  schema: { type: 'string', maxLength: 255 },
};

/**
 * The API's OpenAPI document, as /api/docs serves it: each operation's answer body from the
 * contexts' answer catalogues, every problem code it may answer (its own, declared next to the route,
 * and those every operation of its kind may give) under the code's status, and the Idempotency-Key
 * header on the writes that honour it.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('Patient invitations').setVersion('1').addBearerAuth().build(),
  );
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      Problem: PROBLEM_SCHEMA,
      ...SERVICE_ANSWERS,
      ...IDENTITY_ANSWERS,
      ...INVITATION_ANSWERS,
      ...NOTIFICATION_ANSWERS,
      ...INTEGRITY_ANSWERS,
      ...WEBHOOK_ANSWERS,
    },
  };
  for (const [path, operations] of Object.entries(document.paths))
    for (const [method, operation] of Object.entries(operations) as [string, OperationObject][])
      describeOperation(path, method, operation);
  return document;
}

function describeOperation(path: string, method: string, operation: OperationObject): void {
  const own = operation['x-problem-codes' as keyof OperationObject] as DeclaredProblem[] | undefined;
  if (!own) throw new Error(`${method.toUpperCase()} ${path} declares no @Problems()`);
  const honoursKey = WRITES.has(method) && operation['x-idempotency-key' as keyof OperationObject] !== 'ignored';
  if (honoursKey) operation.parameters = [...(operation.parameters ?? []), IDEMPOTENCY_KEY];
  const statuses = new Map<string, number | undefined>(implied(path, operation, honoursKey).map((c) => [c, undefined]));
  for (const declared of own) {
    const [code, status] = typeof declared === 'string' ? [declared, undefined] : declared;
    statuses.set(code, status);
  }
  const byStatus = new Map<number, string[]>();
  for (const [code, declared] of statuses) {
    const status = declared ?? PROBLEM_STATUS[code];
    if (!status) throw new Error(`${method.toUpperCase()} ${path}: no status for the problem code ${code}`);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const response: ResponseObject = {
      description: list.map((code) => `\`${code}\``).join(', '),
      content: {
        'application/problem+json': {
          schema: schemaRef('Problem'),
          examples: Object.fromEntries(
            list.map((code) => [code, { value: { type: problemType(code), status, code } }]),
          ),
        },
      },
    };
    operation.responses[status] = response;
  }
}

/** What any operation of its kind may answer: no token, a bad body or query, the store down. */
function implied(path: string, operation: OperationObject, honoursKey: boolean): string[] {
  if (PLAIN.has(path)) return [];
  const codes = ['store_unavailable'];
  if (operation.security?.length) codes.push('unauthorized');
  if (operation.requestBody)
    codes.push('validation_failed', 'malformed_body', 'payload_too_large', 'unsupported_media_type');
  else if (operation.parameters?.some((p) => 'in' in p && p.in === 'query')) codes.push('validation_failed');
  if (honoursKey) codes.push('invalid_idempotency_key', 'idempotency_key_reused', 'idempotency_key_in_use');
  return codes;
}
