import type { PersonalFieldRule } from '@app/personal-data';
import { InvitationEvents } from '../domain/invitation-events';

const address = (data: Record<string, unknown>) => (typeof data.email === 'string' ? data.email : null);

/** A patient's address in this context's events, sealed at rest under the patient's key. */
export const INVITATION_PERSONAL_FIELDS: PersonalFieldRule[] = [
  { type: InvitationEvents.InvitationIssued, fields: ['email'], addressOf: address },
  { type: InvitationEvents.ExistingAccountNoticeRequested, fields: ['email'], addressOf: address },
];
