import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A link token: `<key id>.<subject id>.<MAC>`, the MAC being HMAC-SHA256 over (purpose, subject id,
 * nonce) under the key the id names. URL-safe ([A-Za-z0-9_.-]). It is never stored: whoever holds
 * the key rebuilds it from the event; whoever only reads the log cannot.
 */
export type TokenPurpose =
  'invitation' | 'invitation-link' | 'staff-invitation' | 'staff-password-reset' | 'patient-password-reset';

export interface ParsedToken {
  keyId: string;
  subjectId: string;
  mac: Buffer;
}

export interface TokenKey {
  id: string;
  secret: string;
}

const UUID_HEX = /^[0-9a-f]{32}$/;
const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;

export function signToken(purpose: TokenPurpose, key: TokenKey, subjectId: string, nonce: string): string {
  const compact = subjectId.replace(/-/g, '');
  return `${key.id}.${compact}.${mac(purpose, key, subjectId, nonce).toString('base64url')}`;
}

/** null for anything that is not a well-formed token: the caller answers invalid_token. */
export function parseToken(raw: string): ParsedToken | null {
  if (typeof raw !== 'string' || raw.length > 200) return null;
  const parts = raw.split('.');
  if (parts.length !== 3) return null;
  const [keyId, compact, encodedMac] = parts;
  if (!KEY_ID.test(keyId) || !UUID_HEX.test(compact) || !/^[A-Za-z0-9_-]{43}$/.test(encodedMac)) return null;
  const mac = Buffer.from(encodedMac, 'base64url');
  // One token, one spelling: the last character carries two unused bits, and a variant is not the token we sent.
  if (mac.toString('base64url') !== encodedMac) return null;
  const groups = [
    compact.slice(0, 8),
    compact.slice(8, 12),
    compact.slice(12, 16),
    compact.slice(16, 20),
    compact.slice(20),
  ];
  const subjectId = groups.join('-');
  return { keyId, subjectId, mac };
}

/** Constant-time: does the token's MAC match this nonce under this key? */
export function tokenMatches(purpose: TokenPurpose, key: TokenKey, token: ParsedToken, nonce: string): boolean {
  const expected = mac(purpose, key, token.subjectId, nonce);
  return expected.length === token.mac.length && timingSafeEqual(expected, token.mac);
}

function mac(purpose: TokenPurpose, key: TokenKey, subjectId: string, nonce: string): Buffer {
  return createHmac('sha256', key.secret).update(`${purpose}\u0000${subjectId}\u0000${nonce}`).digest();
}
