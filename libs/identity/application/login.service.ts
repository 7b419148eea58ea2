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
   * Staff and patients share one login. One password-hash verification per account the address
   * has (one, nearly always), and a decoy one when it has none or only a deactivated one: an unknown
   * address, a wrong password and a right one cost the same work.
   */
  async login(email: unknown, password: unknown) {
    const address = EmailAddress.check(email);
    const secret = typeof password === 'string' ? password : '';
    const accounts = typeof address === 'string' ? [] : await this.accountsOf(address.value);
    for (const { kind, id } of accounts)
      if (await this.hasher.verify(secret, await this.directory.credentialOf(kind, id)))
        return this.issue({ sub: id, kind });
    if (!accounts.length) await this.hasher.verify(secret, null);
    throw new IdentityError('invalid_credentials', 'The email address or the password is wrong');
  }

  /** The accounts an address may sign in to: its staff account while active, then its patient account. */
  private async accountsOf(email: string): Promise<{ kind: AccountKind; id: string }[]> {
    const [staffId, patientId] = await Promise.all([
      this.directory.accountIdByEmail('staff', email),
      this.directory.accountIdByEmail('patient', email),
    ]);
    const activeStaff = staffId && (await this.directory.staff(staffId))?.active ? staffId : null;
    return [
      ...(activeStaff ? [{ kind: 'staff' as const, id: activeStaff }] : []),
      ...(patientId ? [{ kind: 'patient' as const, id: patientId }] : []),
    ];
  }

  issue(claims: AccessTokenClaims) {
    return {
      accessToken: this.jwt.sign(claims, { expiresIn: ACCESS_TOKEN_SECONDS }),
      tokenType: 'Bearer' as const,
      expiresIn: ACCESS_TOKEN_SECONDS,
    };
  }
}
