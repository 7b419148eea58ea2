import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export type AnswerSchemas = Record<string, SchemaObject>;

/** A schema of the document's catalogue (each context adds its answers there). */
export const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The success answer of an operation: its status and the catalogue schema of its JSON body (none for 204). */
export function Answer(status: number, schema: string | null, description = 'Done') {
  return ApiResponse({ status, description, ...(schema ? { schema: schemaRef(schema) } : {}) });
}

/**
 * The problem codes an operation answers with, beyond those every operation of its kind may give
 * (the document adds unauthorized, validation_failed, rate_limited … by itself). Each code's status
 * comes from the one registry of codes (a code without one is an error when the document is made),
 * unless this operation answers it with another: `[code, status]`.
 */
export type DeclaredProblem = string | [code: string, status: number];
export const Problems = (...codes: DeclaredProblem[]) => applyDecorators(ApiExtension('x-problem-codes', codes));

/** RFC 9457, as every refusal of this API is written. */
export const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri', description: 'Documents the code' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', description: 'Stable: clients branch on it' },
    detail: { type: 'string', description: 'For people; may change' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      description: 'Per field, index or line, where the problem is in the input',
      items: {
        type: 'object',
        required: ['reason'],
        properties: {
          field: { type: 'string' },
          index: { type: 'integer' },
          line: { type: 'integer' },
          value: {},
          reason: { type: 'string' },
        },
      },
    },
  },
};

/** The statuses of the codes any endpoint may answer, whatever its context. */
export const GENERIC_PROBLEM_STATUS: Record<string, number> = {
  malformed_body: 400,
  validation_failed: 400,
  invalid_idempotency_key: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  write_conflict: 409,
  idempotency_key_in_use: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unsupported_charset: 415,
  unsupported_content_encoding: 415,
  idempotency_key_reused: 422,
  rate_limited: 429,
  store_unavailable: 503,
};
