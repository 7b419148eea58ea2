import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { EmailAddress } from '@app/email-address';
import { IdentityError } from '../domain/identity-error';
import type { AccountKind } from '../domain/identity-events';
import { IdentityDirectory } from './identity-directory';
import { PasswordHasher } from './password-hasher';

export const ACCESS_TOKEN_SECONDS = 15 * 60;

export interface AccessTokenClaims {
  sub: string;
  kind: AccountKind;
}

@Injectable()
export class LoginService {
  constructor(
    private readonly directory: IdentityDirectory,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
  ) {}

  /**
   * Staff and patients share one login. Both kinds are always checked, a decoy hash standing in for
   * a missing account, so an unknown address, a wrong password and a right one cost the same work.
   */
  async login(email: unknown, password: unknown) {
    const address = EmailAddress.check(email);
    const secret = typeof password === 'string' ? password : '';
    const value = typeof address === 'string' ? null : address.value;
    const [staffOk, patientOk] = await Promise.all(
      (['staff', 'patient'] as const).map(async (kind) => {
        const id = value ? await this.directory.accountIdByEmail(kind, value) : null;
        const ok = await this.hasher.verify(secret, id ? await this.directory.credentialOf(kind, id) : null);
        return ok ? id : null;
      }),
    );
    const [kind, id] = staffOk
      ? (['staff', staffOk] as const)
      : patientOk
        ? (['patient', patientOk] as const)
        : [null, null];
    if (!kind || !id) throw new IdentityError('invalid_credentials', 'The email address or the password is wrong');
    return this.issue({ sub: id, kind });
  }

  issue(claims: AccessTokenClaims) {
    return {
      accessToken: this.jwt.sign(claims, { expiresIn: ACCESS_TOKEN_SECONDS }),
      tokenType: 'Bearer' as const,
      expiresIn: ACCESS_TOKEN_SECONDS,
    };
  }
}
