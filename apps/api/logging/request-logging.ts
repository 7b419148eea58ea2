import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';

/** Path segments that carry a raw token: the token never reaches a log line. */
const TOKEN_PATHS = /(\/(?:api\/public\/invitations|api\/public\/invitation-links|invite|join)\/)[^/?#]+/g;

/** Keeps the path, drops token segments and query values (an email search is personal data). */
export function redactUrl(url: string | undefined): string {
  if (!url) return '';
  const [path, query] = url.split('?', 2);
  const safePath = path.replace(TOKEN_PATHS, '$1[redacted]');
  if (query === undefined) return safePath;
  const names = [...new URLSearchParams(query).keys()];
  return `${safePath}?${names.map((n) => `${encodeURIComponent(n)}=[redacted]`).join('&')}`;
}

/** Anything shaped like an email address in an error's text. */
const EMAIL = /[^\s@"'()<>=,;:]+@[^\s@"'()<>=,;:]+/g;

/**
 * Errors as logs may carry them: type, message, code and what failed (constraint, table, column),
 * never the values. A database's `detail` ("Key (email)=(…) already exists"), the statement's
 * parameters and anything shaped like an address stay out.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error).replace(EMAIL, '[email]') };
  const e = error as Error & Record<string, unknown>;
  const picked: Record<string, unknown> = { type: e.name, message: e.message.replace(EMAIL, '[email]') };
  for (const key of ['code', 'constraint', 'table', 'column', 'routine', 'status'])
    if (typeof e[key] === 'string' || typeof e[key] === 'number') picked[key] = e[key];
  if (e.stack) picked.stack = e.stack.replace(EMAIL, '[email]');
  return picked;
}

export function loggerParams(level: string): Params {
  return {
    pinoHttp: {
      level,
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
      },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: loggableError,
      },
      redact: { paths: ['req.headers', 'res.headers'], remove: true },
      customSuccessMessage: (req, res) => `${req.method} ${redactUrl(req.url)} ${res.statusCode}`,
      customErrorMessage: (req, res) => `${req.method} ${redactUrl(req.url)} ${res.statusCode}`,
    },
  };
}
