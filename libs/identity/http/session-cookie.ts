import type { Request, Response } from 'express';
import { parse } from 'cookie';
import { REFRESH_TOKEN_SECONDS } from '../sessions/refresh-tokens';

/** Where the portal's refresh token lives: out of reach of scripts, sent only to the auth routes. */
export const REFRESH_COOKIE = 'refresh_token';
const COOKIE_PATH = '/api/auth';

export function setRefreshCookie(res: Response, token: string): void {
  res.cookie(REFRESH_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    path: COOKIE_PATH,
    maxAge: REFRESH_TOKEN_SECONDS * 1000,
  });
}

export function clearRefreshCookie(res: Response): void {
  res.clearCookie(REFRESH_COOKIE, { httpOnly: true, secure: true, sameSite: 'strict', path: COOKIE_PATH });
}

export function refreshCookie(req: Request): string | undefined {
  return parse(req.headers.cookie ?? '')[REFRESH_COOKIE] || undefined;
}
