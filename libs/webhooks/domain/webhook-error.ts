/** Every refusal about webhook endpoints, as a code the HTTP layer maps exhaustively. */
export type WebhookErrorCode =
  | 'invalid_webhook_url'
  | 'invalid_event_types'
  | 'invalid_batch_size'
  | 'deployment_not_found'
  | 'webhook_not_found'
  | 'webhook_not_disabled'
  | 'admin_only';

export class WebhookError extends Error {
  constructor(
    readonly code: WebhookErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
