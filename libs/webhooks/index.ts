export * from './webhooks.module';
export { WebhookDispatcher } from './delivery/webhook-dispatcher';
export { WEBHOOK_ANSWERS } from './http/webhook-answers';
export { WEBHOOK_ENDPOINT_PROBLEM_STATUS, webhookProblem } from './http/webhook-problems';
export { invalidNetworks } from './application/webhook-network-policy';
export { WebhookEvents } from './domain/webhook-events';
