import type { OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ParameterObject,
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

type Schema = SchemaObject | ReferenceObject;

const HEADER = `# REST reference

Generated from the OpenAPI document by \`npm run openapi\` (a test fails when it is out of date); the
served document is at \`/api/docs\` (Swagger UI) and \`/api/docs-json\`. How the API behaves as a whole
(tokens, problems, paging, idempotency, rate limits) is in [api.md](api.md).

Bodies are written as TypeScript-like shapes: \`?\` marks a field that may be absent, \`| null\` one
that may be null. Every refusal is an RFC 9457 problem (\`application/problem+json\`) with a stable
\`code\`; each operation lists its codes under their status.
`;

/** The OpenAPI document as a reader's reference: per tag, each operation's input, answer and problem codes. */
export function restReference(document: OpenAPIObject): string {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const byTag = new Map<string, string[]>();
  for (const [path, operations] of Object.entries(document.paths))
    for (const [method, operation] of Object.entries(operations) as [string, OperationObject][]) {
      if (path.startsWith('/api/testing/')) continue;
      const tag = operation.tags?.[0] ?? 'service';
      byTag.set(tag, [...(byTag.get(tag) ?? []), section(method, path, operation)]);
    }
  const parts = [HEADER];
  for (const [tag, sections] of [...byTag].sort(([a], [b]) => a.localeCompare(b)))
    parts.push(`## ${tag}\n`, ...sections);
  parts.push(
    '## Shapes\n',
    ...Object.keys(schemas)
      .sort()
      .map((name) => shapeSection(name, schemas)),
  );
  return `${parts.join('\n').trimEnd()}\n`;
}

function section(method: string, path: string, op: OperationObject): string {
  const lines = [`### \`${method.toUpperCase()} ${path}\`\n`];
  if (op.summary) lines.push(`${op.summary}\n`);
  lines.push(`- Access: ${op.security?.length ? 'a bearer access token' : 'public'}`);
  const params = (op.parameters ?? []) as ParameterObject[];
  for (const p of params)
    lines.push(
      `- ${p.in} \`${p.name}\`${p.required ? '' : ' (optional)'}${p.description ? `: ${oneLine(p.description)}` : ''}`,
    );
  const request = op.requestBody && 'content' in op.requestBody ? op.requestBody : undefined;
  if (request)
    for (const [type, media] of Object.entries(request.content))
      lines.push(
        `- Body (\`${type}\`${request.required === false ? ', optional' : ''}): ${media.schema ? shape(media.schema) : 'any'}`,
      );
  const responses = Object.entries(op.responses).filter(
    (entry): entry is [string, NonNullable<(typeof entry)[1]>] => entry[1] !== undefined,
  );
  for (const [status, response] of responses) {
    if (!/^2/.test(status)) continue;
    const json = 'content' in response ? response.content?.['application/json']?.schema : undefined;
    lines.push(`- **${status}**${json ? `: ${shape(json)}` : ' (no body)'}`);
  }
  for (const [status, response] of responses) {
    if (/^2/.test(status)) continue;
    lines.push(`- ${status}: ${'description' in response ? response.description : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

function shapeSection(name: string, schemas: Record<string, Schema>): string {
  return `- \`${name}\` = ${shape(schemas[name])}`;
}

/** A schema as one line: named shapes by name (see "Shapes"), others spelt out. */
function shape(schema: Schema): string {
  if ('$ref' in schema) return `\`${schema.$ref.split('/').pop()}\``;
  const nullable = schema.nullable ? ' | null' : '';
  if (schema.enum) return `${schema.enum.map((v) => JSON.stringify(v)).join(' | ')}${nullable}`;
  if (schema.type === 'array') return `${shape(schema.items as Schema)}[]${nullable}`;
  if (schema.type === 'object' || schema.properties) {
    const props = Object.entries(schema.properties ?? {});
    if (!props.length) return `{}${nullable}`;
    const required = new Set(schema.required ?? []);
    const fields = props.map(([key, value]) => `${key}${required.has(key) ? '' : '?'}: ${shape(value)}`);
    return `{ ${fields.join(', ')} }${nullable}`;
  }
  const type = schema.format === 'binary' ? 'file' : (schema.type ?? 'any');
  return `${type}${nullable}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
