import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { IdentityDirectory } from '../application/identity-directory';
import type { AccessTokenClaims } from '../application/login.service';
import type { Principal } from '../domain/principal';

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
      secretOrKey: secret,
      algorithms: ['HS256'],
    });
  }

  async validate(claims: AccessTokenClaims): Promise<Principal | false> {
    if ((claims.kind !== 'staff' && claims.kind !== 'patient') || typeof claims.sub !== 'string') return false;
    const principal = await this.directory.principal(claims.kind, claims.sub);
    // A token names the password it was issued under: after a change, every earlier token is refused.
    return principal && claims.cred === principal.credentialId ? principal : false;
  }
}
