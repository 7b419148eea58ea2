import type { DomainEvent, JsonObject } from '@app/event-store';

/**
 * A person was erased: recorded on their own stream, `personalData-<subject>`, naming them only by the
 * keyed HMAC of their address, so the record of the erasure holds nothing of theirs.
 */
export interface PersonalDataErasedData extends JsonObject {
  subject: string;
  invitationsRevoked: number;
  accountErased: boolean;
}

export type PersonalDataErased = DomainEvent<'PersonalDataErased', PersonalDataErasedData>;

export const personalDataStream = (subject: string) => `personalData-${subject}`;
