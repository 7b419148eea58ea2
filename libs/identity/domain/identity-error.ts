/** Every refusal of the identity context, as a code the HTTP layer maps exhaustively. */
export type IdentityErrorCode =
  | 'invalid_credentials'
  | 'weak_password'
  | 'staff_email_taken'
  | 'unknown_role'
  | 'role_exists'
  | 'cannot_grant_role'
  | 'invalid_deployment_scope'
  | 'admin_only'
  | 'bootstrap_admin_missing'
  | 'staff_not_found'
  | 'cannot_manage_self'
  | 'invalid_name'
  | 'invalid_settings'
  | 'deployment_not_found'
  | 'invalid_cursor'
  | 'invalid_session'
  | 'wrong_password'
  | 'login_delayed'
  | 'invalid_reset_link'
  | 'reset_link_expired'
  | 'staff_invitation_used'
  | 'staff_invitation_expired'
  | 'invalid_staff_invitation'
  | 'invalid_scopes'
  | 'service_account_not_found'
  | 'service_account_revoked'
  | 'invalid_client';

export class IdentityError extends Error {
  constructor(
    readonly code: IdentityErrorCode,
    message: string,
    readonly field?: string,
    /** Seconds to wait before trying again (answered as Retry-After). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'IdentityError';
  }
}
