import type { JsonObject } from '@app/event-store';

/** Which fields of an event type hold a person's data, and whose (their address). */
export interface PersonalFieldRule {
  readonly type: string;
  readonly fields: readonly string[];
  /** The person's address in this event's data; null when it holds nothing to seal (a member of staff). */
  addressOf(data: JsonObject): string | null;
  /**
   * What the data belongs to, when it may be shredded apart from the person (an invitation's copy of
   * their address, under retention); without it, the person's own key (PERSON).
   */
  scopeOf?(data: JsonObject): string;
}

/** What every read shows in place of data whose person was erased. */
export const ERASED = '[erased]';
