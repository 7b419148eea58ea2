import { InvitationError } from '../domain/invitation-error';

/** A query parameter's comma list, each value one of `allowed`; anything else is an invalid_query problem. */
export function commaList<T extends string>(field: string, raw: string, allowed: readonly T[]): T[] {
  const values = raw.split(',').map((value) => value.trim());
  const unknown = values.filter((value) => !allowed.includes(value as T));
  if (unknown.length)
    throw new InvitationError('invalid_query', `Unknown ${field}: ${unknown.join(', ')}`, [
      { field, value: raw, reason: `one or more of ${allowed.join(', ')}` },
    ]);
  return values as T[];
}
