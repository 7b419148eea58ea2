import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every answer, by helmet: nosniff, no referrer (a link's token must not leak
 * to the next site), no framing, and a strict CSP for any HTML. Swagger UI alone needs inline
 * styles, so /api/docs gets the same policy with those allowed.
 */
export function securityHeaders() {
  const self = ["'self'"];
  const withInline = ["'self'", "'unsafe-inline'"];
  const headers = (scriptSrc: string[], styleSrc: string[]) =>
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: self,
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          formAction: self,
          imgSrc: ["'self'", 'data:'],
          scriptSrc,
          styleSrc,
          connectSrc: self,
          upgradeInsecureRequests: null,
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
      frameguard: { action: 'deny' },
      // HSTS belongs to whoever terminates TLS in front of the service; set there, not on plain HTTP.
      strictTransportSecurity: false,
    });
  const strict = headers(self, self);
  const docs = headers(withInline, withInline);
  // The portal's component library sets CSS variables in a <style> element; scripts stay 'self' only.
  const portal = headers(self, withInline);
  return (req: Request, res: Response, next: NextFunction) =>
    (req.path.startsWith('/api/docs') ? docs : req.path.startsWith('/api/') ? strict : portal)(req, res, next);
}

/** API answers are personal or change at any moment: no browser or proxy keeps them. */
export function noStoreForApi(req: Request, res: Response, next: NextFunction): void {
  if (req.path.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
  next();
}
