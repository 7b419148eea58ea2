import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ProblemException, type ProblemFieldError } from './problem';

/** Fields whose values never go back into an answer (or a log). */
const SECRET_FIELDS = new Set(['password']);

/** class-validator failures as one 400 problem listing each field, never echoing a secret. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) =>
      new ProblemException(
        400,
        'validation_failed',
        'The request has fields that are missing or not valid',
        flatten(errors),
      ),
  });
}

function flatten(errors: ValidationError[], prefix = ''): ProblemFieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({
      field,
      ...(SECRET_FIELDS.has(error.property) || typeof error.value === 'object' ? {} : { value: error.value }),
      reason,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
