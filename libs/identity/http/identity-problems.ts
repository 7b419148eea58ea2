import { InvalidEmailAddressError, EMAIL_PROBLEM_TEXT } from '@app/email-address';
import type { ProblemException } from '@app/problem-details';
import { ProblemException as Problem } from '@app/problem-details';
import { IdentityError, type IdentityErrorCode } from '../domain/identity-error';

/** Exhaustive: a new identity error cannot be added without choosing its status here. */
export const IDENTITY_PROBLEM_STATUS: Record<IdentityErrorCode, number> = {
  invalid_credentials: 401,
  weak_password: 400,
  staff_email_taken: 409,
  unknown_role: 400,
  role_exists: 409,
  cannot_grant_role: 403,
  invalid_deployment_scope: 400,
  admin_only: 403,
  bootstrap_admin_missing: 500,
  staff_not_found: 404,
  cannot_manage_self: 403,
  invalid_name: 400,
  invalid_settings: 400,
  deployment_not_found: 404,
  invalid_cursor: 400,
  invalid_session: 401,
  wrong_password: 400,
  login_delayed: 429,
  invalid_reset_link: 404,
  reset_link_expired: 410,
  staff_invitation_used: 410,
  staff_invitation_expired: 410,
  invalid_staff_invitation: 404,
  invalid_scopes: 400,
  service_account_not_found: 404,
  service_account_revoked: 409,
  invalid_client: 401,
};

export function identityProblem(error: unknown): ProblemException | undefined {
  if (error instanceof IdentityError) {
    const errors = error.field ? [{ field: error.field, reason: error.message }] : undefined;
    const headers: Record<string, string> =
      error.retryAfter === undefined ? {} : { 'Retry-After': String(error.retryAfter) };
    return new Problem(IDENTITY_PROBLEM_STATUS[error.code], error.code, error.message, errors, headers);
  }
  if (error instanceof InvalidEmailAddressError) {
    return new Problem(400, 'invalid_email', error.message, [
      { field: 'email', reason: EMAIL_PROBLEM_TEXT[error.problem] },
    ]);
  }
  return undefined;
}
