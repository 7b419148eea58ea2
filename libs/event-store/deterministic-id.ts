import { createHash } from 'node:crypto';

/**
 * A UUID (version 8, name-based on SHA-256) that is always the same for the same name: event ids
 * derived from what caused them make a retried write an idempotent re-append.
 */
export function deterministicId(...parts: string[]): string {
  const bytes = createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
