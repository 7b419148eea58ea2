import type { PersonalFieldRule } from '@app/personal-data';
import { invitationDataScope, InvitationEvents } from '../domain/invitation-events';

const address = (data: Record<string, unknown>) => (typeof data.email === 'string' ? data.email : null);

/**
 * A patient's address in this context's events, sealed at rest under the patient's key: an
 * invitation's copy under the key of that invitation's scope, which retention may shred alone.
 */
export const INVITATION_PERSONAL_FIELDS: PersonalFieldRule[] = [
  {
    type: InvitationEvents.InvitationIssued,
    fields: ['email'],
    addressOf: address,
    scopeOf: (data) => invitationDataScope(String(data.invitationId)),
  },
  { type: InvitationEvents.ExistingAccountNoticeRequested, fields: ['email'], addressOf: address },
];
