import { InvitationError } from '../../domain/invitation-error';

/**
 * An as-of answer is about the past: what the list showed at an instant that has passed. The future
 * has not been written yet, so asking for it is refused rather than answered with today's list.
 */
export function refuseFuture(asOf: Date, now: Date): void {
  if (asOf.getTime() > now.getTime())
    throw new InvitationError('invalid_as_of', 'asOf must not be in the future', [
      { field: 'asOf', value: asOf.toISOString(), reason: `after now (${now.toISOString()})` },
    ]);
}
