import { StoreUnavailableError } from '@app/event-store';
import { isConnectionError } from '@app/sql';

/**
 * Neither the caller's fault nor an answer: an event store that reported an unknown outcome, or a
 * SQL connection that broke or could not be had. The HTTP layer answers 503 and a retry is safe.
 */
export function isStoreUnavailable(error: unknown): boolean {
  return error instanceof StoreUnavailableError || isConnectionError(error);
}
