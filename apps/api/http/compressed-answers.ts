import compression from 'compression';
import type { Request, Response } from 'express';

/** What is compressed: JSON answers and the portal's pages, scripts and styles. */
const COMPRESSED_TYPES =
  /^(application\/(json|problem\+json|javascript)|text\/(html|css|javascript)|image\/svg\+xml)\b/;

/**
 * Answers over 1 KiB compressed for a client that asks (brotli at quality 4 when it accepts it, else
 * gzip): a CSV preview of 100,000 lines is 9.1 MB of JSON and 226 KiB as sent. The compression runs on
 * libuv's thread pool, not on the event loop.
 *
 * Never compressed: streams (the export's NDJSON and CSV, the live event stream: compression would
 * hold their bytes back and spend the export's CPU twice), and anything under /api/auth, whose
 * answers carry tokens. Compressing a secret next to text an attacker chose leaks it through the
 * answer's length (BREACH) only when the attacker's page can make the browser send its credentials:
 * the API takes bearer tokens, which no other site can make a browser attach, and the one cookie (the
 * refresh token) is SameSite=Strict and sent to /api/auth alone.
 */
export function compressedAnswers() {
  return compression({ threshold: 1024, filter: compressible });
}

export function compressible(req: Request, res: Response): boolean {
  return !req.path.startsWith('/api/auth') && COMPRESSED_TYPES.test(String(res.getHeader('Content-Type') ?? ''));
}
