import { dictionary } from '@zxcvbn-ts/language-common';
import { IdentityError } from '../domain/identity-error';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

/** zxcvbn-ts's list of ~49,000 most common passwords, shipped with the service; compared lower-cased. */
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(
    (dictionary['passwords-common'] as string[])
      .filter((p) => p.length >= MIN_PASSWORD_LENGTH)
      .map((p) => p.toLowerCase()),
  );
  return common;
}

/** Throws weak_password unless the password is long enough and not a commonly used one. */
export function assertStrongPassword(password: unknown): asserts password is string {
  if (typeof password !== 'string' || [...password].length < MIN_PASSWORD_LENGTH) {
    throw new IdentityError('weak_password', `A password has at least ${MIN_PASSWORD_LENGTH} characters`, 'password');
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new IdentityError('weak_password', `A password has at most ${MAX_PASSWORD_LENGTH} characters`, 'password');
  }
  if (commonPasswords().has(password.toLowerCase())) {
    throw new IdentityError(
      'weak_password',
      'This password is among the most commonly used ones; choose another',
      'password',
    );
  }
}
