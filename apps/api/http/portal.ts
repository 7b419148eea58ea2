import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The patient pages: their own small bundle, never the staff app. */
const PATIENT_PAGES = /^\/(invite|join|reset-password|staff-invite)(\/[^/]*)?\/?$|^\/(download|forgot-password)\/?$/;

/** dist/portal beside the service's package.json, from the sources (tests) as from dist/ (npm start). */
export function portalDirectory(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'portal');
}

/**
 * Serves the portal's build at `/`: hashed assets cached for a year, the staff app's index.html for
 * every other page (the app routes itself), patient.html for /invite, /join and /download. The API
 * stays under /api. Without a build, pages say how to make one.
 */
export function servePortal(dir = portalDirectory()) {
  const assets = express.static(dir, { index: false, immutable: true, maxAge: '365d', fallthrough: true });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path.startsWith('/api/') || req.path === '/api') return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path.startsWith('/assets/')) return assets(req, res, next);
    const page = PATIENT_PAGES.test(req.path) ? 'patient.html' : 'index.html';
    const file = join(dir, page);
    if (!existsSync(file)) {
      res
        .status(503)
        .type('text/plain')
        .send('The portal is not built yet: run `npm run build:portal` (npm start does it).');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(file);
  };
}
