import { type AnswerSchemas, instant, listOf, nullableText, object, oneOf, text } from '@app/problem-details';
import { TEMPLATES } from '../mail-templates';

/** The notifications context's answers, by name, for the OpenAPI document. */
export const NOTIFICATION_ANSWERS: AnswerSchemas = {
  WebhookOutcome: object({
    outcome: oneOf('recorded', 'repeated', 'unknown_mail', 'ignored'),
  }),
  OutboxMessage: object({
    id: text('The id of the event that asked for the email'),
    from: text(),
    replyTo: nullableText(),
    to: text(),
    subject: text(),
    text: text(),
    html: text(),
    template: oneOf(...TEMPLATES),
    sentAt: instant,
  }),
  OutboxPage: object({ messages: listOf('OutboxMessage'), nextCursor: nullableText('Null on the last page') }),
};
