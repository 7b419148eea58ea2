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

export function loggerParams(level: string): Params {
  return {
    pinoHttp: {
      level,
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
      },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      redact: { paths: ['req.headers', 'res.headers'], remove: true },
      customSuccessMessage: (req, res) => `${req.method} ${redactUrl(req.url)} ${res.statusCode}`,
      customErrorMessage: (req, res) => `${req.method} ${redactUrl(req.url)} ${res.statusCode}`,
    },
  };
}
