import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { EmailAddress } from '@app/email-address';
import { IdentityError } from '../domain/identity-error';
import type { AccountKind } from '../domain/identity-events';
import { IdentityDirectory } from './identity-directory';
import { PasswordHasher } from './password-hasher';
import { FailedLogins } from '../sessions/failed-logins';
import { RefreshTokens } from '../sessions/refresh-tokens';

export const ACCESS_TOKEN_SECONDS = 15 * 60;

export interface AccessTokenClaims {
  sub: string;
  kind: AccountKind | 'service';
  /** The id of the password the holder proved: a password change makes earlier tokens worthless. */
  cred: string;
}

/** A sign-in: the access token to answer with, and the refresh token for the cookie (never in a body). */
export interface SignedIn {
  answer: ReturnType<LoginService['issue']>;
  refreshToken: string;
}

@Injectable()
export class LoginService {
  constructor(
    private readonly directory: IdentityDirectory,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly refreshTokens: RefreshTokens,
    private readonly failures: FailedLogins,
  ) {}

  /**
   * Staff and patients share one login. One password-hash verification per account the address
   * has (one, nearly always), and a decoy one when it has none or only a deactivated one: an unknown
   * address, a wrong password and a right one cost the same work.
   */
  async login(email: unknown, password: unknown): Promise<SignedIn> {
    const address = EmailAddress.check(email);
    const secret = typeof password === 'string' ? password : '';
    const value = typeof address === 'string' ? null : address.value;
    if (value) await this.failures.checkAllowed(value);
    const accounts = value ? await this.accountsOf(value) : [];
    for (const { kind, id, credentialId } of accounts)
      if (await this.hasher.verify(secret, await this.directory.credential(credentialId))) {
        await this.failures.succeeded(value!);
        return this.startSession(kind, id, credentialId);
      }
    if (!accounts.length) await this.hasher.verify(secret, null);
    if (value) await this.failures.failed(value);
    throw new IdentityError('invalid_credentials', 'The email address or the password is wrong');
  }

  /**
   * The accounts an address may sign in to, each read once with the password it holds now: its staff
   * account while active, then its patient account.
   */
  private async accountsOf(email: string): Promise<{ kind: AccountKind; id: string; credentialId: string }[]> {
    const [staffId, patientId] = await Promise.all([
      this.directory.accountIdByEmail('staff', email),
      this.directory.accountIdByEmail('patient', email),
    ]);
    const [staff, patient] = await Promise.all([
      staffId ? this.directory.staff(staffId) : null,
      patientId ? this.directory.patient(patientId) : null,
    ]);
    return [
      ...(staff?.active ? [{ kind: 'staff' as const, id: staff.id, credentialId: staff.credentialId }] : []),
      ...(patient ? [{ kind: 'patient' as const, id: patient.id, credentialId: patient.credentialId }] : []),
    ];
  }

  /** The next access token for a refresh token, while the account can still sign in. */
  async refresh(refreshToken: string | undefined): Promise<SignedIn> {
    if (!refreshToken) throw new IdentityError('invalid_session', 'Sign in again: this session has ended');
    const session = await this.refreshTokens.rotate(refreshToken);
    if (!(await this.directory.principal(session.kind, session.accountId))) {
      await this.refreshTokens.end(session.refreshToken);
      throw new IdentityError('invalid_session', 'Sign in again: this session has ended');
    }
    return { answer: await this.accessFor(session.kind, session.accountId), refreshToken: session.refreshToken };
  }

  async logout(refreshToken: string | undefined): Promise<void> {
    if (refreshToken) await this.refreshTokens.end(refreshToken);
  }

  /** A new session for an account that has just proved who it is. */
  async signIn(kind: AccountKind, id: string): Promise<SignedIn> {
    const session = await this.refreshTokens.start(kind, id);
    return { answer: await this.accessFor(kind, id), refreshToken: session.refreshToken };
  }

  /** The same, when the password the account proved is already known (no second read of its stream). */
  private async startSession(kind: AccountKind, id: string, credentialId: string): Promise<SignedIn> {
    const session = await this.refreshTokens.start(kind, id);
    return { answer: this.issue({ sub: id, kind, cred: credentialId }), refreshToken: session.refreshToken };
  }

  private async accessFor(kind: AccountKind, id: string) {
    const account = kind === 'staff' ? await this.directory.staff(id) : await this.directory.patient(id);
    if (!account) throw new IdentityError('invalid_session', 'Sign in again: this session has ended');
    return this.issue({ sub: id, kind, cred: account.credentialId });
  }

  issue(claims: AccessTokenClaims) {
    return {
      accessToken: this.jwt.sign(claims, { expiresIn: ACCESS_TOKEN_SECONDS }),
      tokenType: 'Bearer' as const,
      expiresIn: ACCESS_TOKEN_SECONDS,
    };
  }
}
