import type { NextFunction, Request, Response } from 'express';
import { problem } from '@app/problem-details';

/** Deeper JSON than any request of ours needs; deeper bodies are refused before validation recurses into them. */
export const MAX_JSON_DEPTH = 32;

function refuse(res: Response, status: number, code: string, detail: string, close = false): void {
  if (close) res.setHeader('Connection', 'close');
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify(problem(status, code, detail)));
}

/**
 * Before any body is read: a declared Content-Length over the route's limit is refused at once (and
 * the connection closed, so the rest is never read), and so is any Content-Encoding: compressed
 * request bodies are a decompression-bomb risk no client of ours needs.
 */
export function refuseUnreadableBodies(limitFor: (req: Request) => { bytes: number; code: string }) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity') {
      return refuse(
        res,
        415,
        'unsupported_content_encoding',
        'Send request bodies uncompressed (no Content-Encoding)',
        true,
      );
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    const limit = limitFor(req);
    if (Number.isFinite(declared) && declared > limit.bytes) {
      return refuse(res, 413, limit.code, `This endpoint accepts bodies up to ${limit.bytes} bytes`, true);
    }
    next();
  };
}

/**
 * After parsing: nesting deeper than MAX_JSON_DEPTH, NUL characters and lone UTF-16 surrogates in any
 * string of the body or the query are refused with one clear problem. No store could keep them
 * faithfully (PostgreSQL refuses NUL in text and jsonb), and no address or name contains them.
 */
export function refuseUnstorableText(req: Request, res: Response, next: NextFunction): void {
  const found = inspect(req.body) ?? inspect(req.query);
  if (found === 'too_deep')
    return refuse(res, 400, 'too_deeply_nested', `JSON bodies nest at most ${MAX_JSON_DEPTH} levels`);
  if (found)
    return refuse(res, 400, 'invalid_characters', 'Text may not contain NUL characters or unpaired surrogates');
  next();
}

// A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Iterative, so a hostile depth cannot overflow the stack here either. */
function inspect(root: unknown): 'too_deep' | 'unstorable' | null {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) return 'unstorable';
    } else if (value && typeof value === 'object') {
      if (depth >= MAX_JSON_DEPTH) return 'too_deep';
      for (const [key, child] of Object.entries(value)) {
        if (UNSTORABLE.test(key)) return 'unstorable';
        stack.push([child, depth + 1]);
      }
    }
  }
  return null;
}
