import type { IdentityEvent } from './identity-events';

/**
 * What an identity decision writes: new streams only. Creating each with no_stream is what keeps
 * addresses, role names and the organisation unique; a conflict means the name is taken.
 */
export interface NewStream {
  stream: string;
  events: IdentityEvent[];
}
