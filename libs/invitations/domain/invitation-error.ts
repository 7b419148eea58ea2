/** Every refusal of the invitations context; the HTTP layer maps each code exhaustively. */
export type InvitationErrorCode =
  | 'invalid_expiry'
  | 'invalid_emails'
  | 'invalid_email'
  | 'invitation_not_found'
  | 'invitation_not_resendable'
  | 'invitation_already_redeemed'
  | 'invitation_revoked'
  | 'invitation_superseded'
  | 'invitation_expired'
  | 'invalid_token'
  | 'link_not_found'
  | 'link_expired'
  | 'link_revoked'
  | 'invalid_cursor'
  | 'invalid_as_of'
  | 'erasure_needs_organisation_role'
  | 'too_many_streams'
  | 'invalid_query'
  | 'deployment_not_found'
  | 'invalid_csv'
  | 'too_many_rows';

export interface InvitationErrorDetail {
  index?: number;
  line?: number;
  field?: string;
  value?: unknown;
  reason: string;
}

export class InvitationError extends Error {
  constructor(
    readonly code: InvitationErrorCode,
    message: string,
    readonly errors?: InvitationErrorDetail[],
  ) {
    super(message);
    this.name = 'InvitationError';
  }
}
