/**
 * The one rule for what an email address is, everywhere (API.md): trimmed, lower-cased, at most 254
 * characters; a dot-atom local part of at most 64; a domain of two or more hostname labels. Checked
 * character by character: no regular expression that could backtrack on hostile input.
 */
export type EmailAddressProblem =
  'empty' | 'too_long' | 'missing_at' | 'local_part_too_long' | 'invalid_local_part' | 'invalid_domain';

export const EMAIL_PROBLEM_TEXT: Record<EmailAddressProblem, string> = {
  empty: 'no address',
  too_long: 'longer than 254 characters',
  missing_at: 'not one @ between a local part and a domain',
  local_part_too_long: 'the part before @ is longer than 64 characters',
  invalid_local_part: 'the part before @ has characters or dots an address cannot have',
  invalid_domain: 'the domain is not two or more hostname labels',
};

const ATEXT_SYMBOLS = new Set("!#$%&'*+-/=?^_`{|}~");

export class EmailAddress {
  private constructor(readonly value: string) {}

  /** The address, or the first problem found with it. */
  static check(input: unknown): EmailAddress | EmailAddressProblem {
    if (typeof input !== 'string') return 'empty';
    const value = input.trim().toLowerCase();
    if (value.length === 0) return 'empty';
    if (value.length > 254) return 'too_long';
    const at = value.indexOf('@');
    if (at <= 0 || at !== value.lastIndexOf('@') || at === value.length - 1) return 'missing_at';
    const local = value.slice(0, at);
    if (local.length > 64) return 'local_part_too_long';
    if (!isDotAtom(local)) return 'invalid_local_part';
    if (!isHostname(value.slice(at + 1))) return 'invalid_domain';
    return new EmailAddress(value);
  }

  static parse(input: unknown): EmailAddress {
    const checked = EmailAddress.check(input);
    if (typeof checked === 'string') throw new InvalidEmailAddressError(checked);
    return checked;
  }

  toString(): string {
    return this.value;
  }
}

export class InvalidEmailAddressError extends Error {
  readonly code = 'invalid_email';
  constructor(readonly problem: EmailAddressProblem) {
    super(`Not an email address: ${EMAIL_PROBLEM_TEXT[problem]}`);
    this.name = 'InvalidEmailAddressError';
  }
}

function isDotAtom(local: string): boolean {
  let previousDot = true; // a leading dot is refused like a doubled one
  for (const ch of local) {
    if (ch === '.') {
      if (previousDot) return false;
      previousDot = true;
    } else if (isAlphaNumeric(ch) || ATEXT_SYMBOLS.has(ch)) {
      previousDot = false;
    } else {
      return false;
    }
  }
  return !previousDot;
}

function isHostname(domain: string): boolean {
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  return labels.every(
    (label) =>
      label.length >= 1 &&
      label.length <= 63 &&
      label[0] !== '-' &&
      label[label.length - 1] !== '-' &&
      [...label].every((ch) => isAlphaNumeric(ch) || ch === '-'),
  );
}

function isAlphaNumeric(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
}
