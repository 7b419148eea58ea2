export * from './identity.module';
export * from './application/patient-accounts';
export * from './application/deployment-access';
export * from './application/identity-directory';
export * from './application/login.service';
export * from './auth/decorators';
export * from './domain/principal';
export * from './domain/roles';
export * from './domain/identity-error';
export { identityProblem } from './http/identity-problems';
export { Passwords } from './application/passwords/passwords';
export { PasswordResets } from './application/passwords/password-resets';
export type { PasswordResetRequestedData } from './domain/identity-events';
export { IdentityEvents, identityEventOf } from './domain/identity-events';
export { StaffInvitations } from './application/staff/staff-invitations';
export {
  DEFAULT_DEPLOYMENT_SETTINGS,
  LANGUAGES,
  type DeploymentSettings,
  type Language,
} from './domain/deployment-settings';
export { IDENTITY_ANSWERS } from './http/identity-answers';
export { IDENTITY_PROBLEM_STATUS } from './http/identity-problems';
export { IDENTITY_PERSONAL_FIELDS } from './application/personal-fields';
