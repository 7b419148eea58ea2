import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { CLOCK, type Clock } from '@app/clock';
import { SQL_DATABASE, type SqlDatabase, type SqlExecutor } from '@app/sql';
import { IdentityError } from '../domain/identity-error';
import type { AccountKind } from '../domain/identity-events';

/** How long a refresh token lives unused: a working day; each rotation starts a new one. */
export const REFRESH_TOKEN_SECONDS = 12 * 3600;

export interface Session {
  kind: AccountKind;
  accountId: string;
  refreshToken: string;
  expiresAt: Date;
}

interface TokenRow {
  family_id: string;
  account_kind: AccountKind;
  account_id: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

/**
 * Rotating refresh tokens. Each is used once: using it gives the next one in its family. A token
 * used a second time means it was copied, so its whole family (that sign-in) is revoked. Only a
 * SHA-256 of each token is stored; the token itself exists in the caller's cookie alone.
 */
@Injectable()
export class RefreshTokens {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  start(kind: AccountKind, accountId: string): Promise<Session> {
    return this.db.transaction((tx) => this.issue(tx, randomUUID(), kind, accountId));
  }

  /** The next token of the family, or invalid_session (and, on reuse, the family revoked). */
  async rotate(token: string): Promise<Session> {
    const outcome = await this.db.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      const [row] = await tx.query<TokenRow>(
        `SELECT family_id, account_kind, account_id, expires_at, used_at, revoked_at FROM refresh_tokens
         WHERE token_hash = $1`,
        [digest(token)],
      );
      if (!row || row.revoked_at || row.expires_at <= now) return null;
      const claimed = await tx.execute(
        'UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL',
        [digest(token), now],
      );
      if (claimed !== 1) return { reused: row.family_id };
      return this.issue(tx, row.family_id, row.account_kind, row.account_id);
    });
    if (outcome && 'reused' in outcome) {
      // Committed apart from the refusal, so the revocation stands.
      await this.revokeFamily(outcome.reused);
      throw invalidSession();
    }
    if (!outcome) throw invalidSession();
    return outcome;
  }

  /** Signs out this token's sign-in; an unknown token changes nothing. */
  async end(token: string): Promise<void> {
    const [row] = await this.db.query<{ family_id: string }>(
      'SELECT family_id FROM refresh_tokens WHERE token_hash = $1',
      [digest(token)],
    );
    if (row) await this.revokeFamily(row.family_id);
  }

  /** Every session of an account ends (password changed or reset, account deactivated). */
  async endAll(accountId: string): Promise<void> {
    await this.db.execute('UPDATE refresh_tokens SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL', [
      accountId,
      this.clock.now().toISOString(),
    ]);
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.db.execute('UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL', [
      familyId,
      this.clock.now().toISOString(),
    ]);
  }

  private async issue(tx: SqlExecutor, familyId: string, kind: AccountKind, accountId: string): Promise<Session> {
    const refreshToken = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + REFRESH_TOKEN_SECONDS * 1000);
    await tx.execute(
      `INSERT INTO refresh_tokens (token_hash, family_id, account_kind, account_id, issued_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [digest(refreshToken), familyId, kind, accountId, now.toISOString(), expiresAt.toISOString()],
    );
    return { kind, accountId, refreshToken, expiresAt };
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function invalidSession(): IdentityError {
  return new IdentityError('invalid_session', 'Sign in again: this session has ended');
}
