export * from './invitations.module';
export * from './application/invitation-tokens';
export * from './application/process-managers/invitation-jobs';
export * from './domain/invitation-events';
export { INVITATION_OTHER_PROBLEMS, INVITATION_PROBLEM_STATUS, invitationProblem } from './http/invitation-problems';
export { INVITATION_ANSWERS } from './http/invitation-answers';
export { INVITATION_PERSONAL_FIELDS } from './application/personal-fields';
