import { type AnswerSchemas, instant, object, oneOf, text } from '@app/problem-details';

/** The service's own answers (health, public configuration), by name, for the OpenAPI document. */
export const SERVICE_ANSWERS: AnswerSchemas = {
  Health: object(
    {
      status: oneOf('ok', 'degraded'),
      info: {
        type: 'object',
        description: 'Staff only: the event store, the read-model database and each processor’s position and lag',
      },
    },
    ['info'],
  ),
  PublicConfig: object({ downloadUrl: text('Where patients get the app') }),
  TestClock: object({ now: instant }),
};
