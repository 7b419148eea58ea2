import type { PersonalFieldRule } from '@app/personal-data';
import { IdentityEvents } from '../domain/identity-events';

/**
 * A patient's address and name in this context's events, sealed at rest under the patient's key.
 * Staff accounts are not sealed: they are the organisation's, and erasure is for patients.
 */
export const IDENTITY_PERSONAL_FIELDS: PersonalFieldRule[] = [
  {
    type: IdentityEvents.PatientAccountCreated,
    fields: ['email', 'displayName'],
    addressOf: (data) => (typeof data.email === 'string' ? data.email : null),
  },
  {
    type: IdentityEvents.PasswordResetRequested,
    fields: ['email'],
    addressOf: (data) => (data.accountKind === 'patient' && typeof data.email === 'string' ? data.email : null),
  },
];
