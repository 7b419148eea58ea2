import { isStoreUnavailable } from '@app/event-store-adapters';
import { WrongExpectedRevisionError } from '@app/event-store';
import { ProblemException } from '@app/problem-details';

/**
 * What the stores can answer under load or failure, for every context: a conflict that outlived its
 * retries is 409, a database that cannot be reached is 503 with a hint when to try again. Neither
 * is a 500: the request was fine and nothing of it was written.
 */
export function storeProblem(error: unknown): ProblemException | undefined {
  if (error instanceof WrongExpectedRevisionError) {
    return new ProblemException(
      409,
      'write_conflict',
      'Someone else changed this at the same moment; load it again and retry',
    );
  }
  if (isStoreUnavailable(error)) {
    return new ProblemException(
      503,
      'store_unavailable',
      'The database is not answering; nothing was changed, try again shortly',
      undefined,
      { 'Retry-After': '5' },
    );
  }
  return undefined;
}
