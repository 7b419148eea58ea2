import type { IdentityEvent, PasswordChangedData } from './identity-events';

/** A new password for an account, its hash stored under `credentialId` before this is written. */
export function changePassword(
  accountId: string,
  credentialId: string,
  reason: PasswordChangedData['reason'],
): IdentityEvent[] {
  return [{ type: 'PasswordChanged', data: { accountId, credentialId, reason } }];
}
