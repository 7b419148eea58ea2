import { ProblemException } from '@app/problem-details';
import { WebhookError, type WebhookErrorCode } from '../domain/webhook-error';

/** Exhaustive: a new webhook refusal cannot be added without choosing its status here. */
export const WEBHOOK_ENDPOINT_PROBLEM_STATUS: Record<WebhookErrorCode, number> = {
  invalid_webhook_url: 400,
  invalid_event_types: 400,
  invalid_batch_size: 400,
  deployment_not_found: 404,
  webhook_not_found: 404,
  webhook_not_disabled: 409,
  admin_only: 403,
};

export function webhookProblem(error: unknown): ProblemException | undefined {
  if (!(error instanceof WebhookError)) return undefined;
  const errors = error.field ? [{ field: error.field, reason: error.message }] : undefined;
  return new ProblemException(WEBHOOK_ENDPOINT_PROBLEM_STATUS[error.code], error.code, error.message, errors);
}
