import { EMAIL_PROBLEM_TEXT, EmailAddress } from '../../../../libs/email-address/email-address';

/** One typed or pasted address: checked by the same rule as the API, once, when it is added. */
export interface Chip {
  value: string;
  problem: string | null;
}

/**
 * Addresses out of whatever was typed or pasted: separated by commas, semicolons, spaces or lines,
 * and `Name <address>` as mail programs copy them.
 */
export function splitAddresses(text: string): string[] {
  // Quoted display names ("Hopper, Grace") may hold separators: they go first.
  return text
    .replace(/"[^"]*"/g, ' ')
    .split(/[,;\n\r]+/)
    .flatMap((segment) => {
      const bracketed = /<([^<>]*)>/.exec(segment);
      return bracketed ? [bracketed[1].trim()] : segment.split(/\s+/);
    })
    .filter(Boolean);
}

/** Adds new addresses after the ones there, once each (compared as the API compares them). */
export function addChips(current: readonly Chip[], addresses: readonly string[]): Chip[] {
  const seen = new Set(current.map((c) => c.value));
  const next = [...current];
  for (const raw of addresses) {
    const checked = EmailAddress.check(raw);
    const chip: Chip =
      typeof checked === 'string'
        ? { value: raw.trim(), problem: EMAIL_PROBLEM_TEXT[checked] }
        : { value: checked.value, problem: null };
    if (seen.has(chip.value)) continue;
    seen.add(chip.value);
    next.push(chip);
  }
  return next;
}
