export * from './invitations.module';
export * from './application/invitation-tokens';
export * from './application/process-managers/invitation-jobs';
export * from './domain/invitation-events';
export { invitationProblem } from './http/invitation-problems';
