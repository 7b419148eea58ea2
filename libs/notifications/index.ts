export * from './notifications.module';
export * from './mail-transport';
export * from './mail-templates';
export * from './sending/mail-dispatcher';
export * from './notification-settings';
export * from './mail-events';
export { NOTIFICATION_ANSWERS } from './http/notification-answers';
export { WEBHOOK_PROBLEM_STATUS } from './http/mailgun-webhook.controller';
