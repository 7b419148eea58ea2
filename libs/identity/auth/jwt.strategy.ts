import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { IdentityDirectory } from '../application/identity-directory';
import type { AccessTokenClaims } from '../application/login.service';
import type { Principal, ServicePrincipal } from '../domain/principal';

export const JWT_SECRET = Symbol('JwtSecret');

/** Verifies the bearer token, then loads the caller fresh: a changed role counts at once. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    private readonly directory: IdentityDirectory,
    @Inject(JWT_SECRET) secret: string,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      ignoreExpiration: false,
      // A key object made once: given the text, jsonwebtoken first tries it as a PEM public key on
      // every request and builds the secret key only when that throws (about 1 ms a request).
      // passport-jwt hands it to jsonwebtoken as it is; its types predate key objects.
      secretOrKey: createSecretKey(Buffer.from(secret)) as unknown as Buffer,
      algorithms: ['HS256'],
    });
  }

  async validate(claims: AccessTokenClaims & { scope?: unknown }): Promise<Principal | false> {
    if (!['staff', 'patient', 'service'].includes(claims.kind) || typeof claims.sub !== 'string') return false;
    const loaded = await this.directory.principal(claims.kind, claims.sub);
    const principal = loaded?.kind === 'service' ? grantedScopes(loaded, claims.scope) : loaded;
    // A token names the password (a service account: the secret) it was issued under: after a
    // change, every earlier token is refused.
    return principal && claims.cred === principal.credentialId ? principal : false;
  }
}

/** A service token holds the scopes it was granted that its account still has (none lost to a later change). */
function grantedScopes(principal: ServicePrincipal, granted: unknown): ServicePrincipal | null {
  if (typeof granted !== 'string') return null;
  const asked = granted.split(' ');
  return { ...principal, scopes: principal.scopes.filter((scope) => asked.includes(scope)) };
}
