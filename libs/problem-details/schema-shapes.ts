import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { schemaRef } from './openapi-answers';

/** Shorthands for the answer catalogues: an object whose listed properties are all present unless marked optional. */
export function object(properties: Record<string, SchemaObject>, optional: string[] = []): SchemaObject {
  return {
    type: 'object',
    required: Object.keys(properties).filter((name) => !optional.includes(name)),
    properties,
  };
}

export const text = (description?: string): SchemaObject => ({
  type: 'string',
  ...(description ? { description } : {}),
});
export const nullableText = (description?: string): SchemaObject => ({ ...text(description), nullable: true });
export const instant: SchemaObject = { type: 'string', format: 'date-time' };
export const uuid: SchemaObject = { type: 'string', format: 'uuid' };
export const integer: SchemaObject = { type: 'integer' };
export const oneOf = (...values: string[]): SchemaObject => ({ type: 'string', enum: values });
export const listOf = (items: SchemaObject | string): SchemaObject => ({
  type: 'array',
  items: typeof items === 'string' ? schemaRef(items) : items,
});
