import { IdentityError } from './identity-error';
import type { AccountKind, IdentityEvent, PendingReset } from './identity-events';

/** How long a reset link works. */
export const RESET_LINK_MS = 60 * 60 * 1000;
/** At most one reset email per address in this time; the answer stays the same. */
export const RESET_EMAIL_EVERY_MS = 10 * 60 * 1000;

export interface ResettableAccount {
  id: string;
  email: string;
  reset: PendingReset | null;
}

/** A one-time link by email, valid an hour; a second request within ten minutes sends nothing. */
export function requestPasswordReset(
  account: ResettableAccount,
  accountKind: AccountKind,
  nonce: string,
  now: Date,
): IdentityEvent[] {
  if (account.reset && now.getTime() - Date.parse(account.reset.requestedAt) < RESET_EMAIL_EVERY_MS) return [];
  const expiresAt = new Date(now.getTime() + RESET_LINK_MS).toISOString();
  return [
    {
      type: 'PasswordResetRequested',
      data: { accountId: account.id, accountKind, email: account.email, nonce, expiresAt },
    },
  ];
}

/** The link works while it is the account's latest, unused and within its hour. */
export function checkResetUsable(account: ResettableAccount, nonce: string, now: Date): void {
  if (!account.reset || account.reset.nonce !== nonce)
    throw new IdentityError('invalid_reset_link', 'This reset link is not valid (a newer one, or already used)');
  if (now.getTime() >= Date.parse(account.reset.expiresAt))
    throw new IdentityError('reset_link_expired', 'This reset link has expired; ask for a new one');
}
