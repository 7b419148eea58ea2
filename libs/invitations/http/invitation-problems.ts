import { InvalidPositionError, WrongExpectedRevisionError } from '@app/event-store';
import { ProblemException } from '@app/problem-details';
import { FileTooLargeError } from '../application/importing/csv-reader';
import { InvitationError, type InvitationErrorCode } from '../domain/invitation-error';

/** Exhaustive: a new invitations error cannot be added without choosing its status here. */
export const INVITATION_PROBLEM_STATUS: Record<InvitationErrorCode, number> = {
  invalid_expiry: 400,
  invalid_emails: 400,
  invalid_email: 400,
  invalid_cursor: 400,
  invalid_as_of: 400,
  erasure_needs_organisation_role: 403,
  too_many_streams: 429,
  invalid_query: 400,
  invalid_csv: 400,
  too_many_rows: 400,
  invitation_not_found: 404,
  deployment_not_found: 404,
  link_not_found: 404,
  invalid_token: 404,
  invitation_not_resendable: 409,
  // Answers to a link's holder: the link is gone for good. (Staff deleting a redeemed one get 409; see the controller.)
  invitation_already_redeemed: 410,
  invitation_revoked: 410,
  invitation_superseded: 410,
  invitation_expired: 410,
  link_expired: 410,
  link_revoked: 410,
};

/** Problems this context answers beyond its errors' codes. */
export const INVITATION_OTHER_PROBLEMS: Record<string, number> = { file_too_large: 413, invalid_position: 400 };

export function invitationProblem(error: unknown): ProblemException | undefined {
  if (error instanceof InvitationError)
    return new ProblemException(INVITATION_PROBLEM_STATUS[error.code], error.code, error.message, error.errors);
  if (error instanceof WrongExpectedRevisionError) {
    return new ProblemException(
      409,
      'write_conflict',
      'Someone else changed this at the same moment; load it again and retry',
    );
  }
  if (error instanceof FileTooLargeError)
    return new ProblemException(413, 'file_too_large', `Files up to ${error.maxBytes} bytes are accepted`, undefined, {
      Connection: 'close',
    });
  if (error instanceof InvalidPositionError)
    return new ProblemException(400, 'invalid_position', 'That position is not one this feed handed out');
  return undefined;
}
