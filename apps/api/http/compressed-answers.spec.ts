import type { Request, Response } from 'express';
import { compressible } from './compressed-answers';

const answer = (contentType: string) => ({ getHeader: () => contentType }) as unknown as Response;
const at = (path: string) => ({ path }) as Request;

describe('which answers are compressed', () => {
  it.each([
    ['a JSON page', '/api/deployments/d/invitations', 'application/json; charset=utf-8'],
    ['a problem', '/api/deployments/d/invitations', 'application/problem+json; charset=utf-8'],
    ['the portal page', '/', 'text/html; charset=UTF-8'],
    ['a portal script', '/assets/index-abc.js', 'application/javascript; charset=UTF-8'],
    ['a portal style sheet', '/assets/index-abc.css', 'text/css; charset=UTF-8'],
  ])('%s is', (_what, path, type) => expect(compressible(at(path), answer(type))).toBe(true));

  it.each([
    ['a sign-in (tokens)', '/api/auth/login', 'application/json; charset=utf-8'],
    ['a refresh (tokens)', '/api/auth/refresh', 'application/json; charset=utf-8'],
    ['the NDJSON export', '/api/events/export', 'application/x-ndjson; charset=utf-8'],
    ['the CSV export', '/api/events/export', 'text/csv; charset=utf-8'],
    ['the live event stream', '/api/events/stream', 'text/event-stream'],
    ['an answer without a type', '/api/health', ''],
  ])('%s is not', (_what, path, type) => expect(compressible(at(path), answer(type))).toBe(false));
});
