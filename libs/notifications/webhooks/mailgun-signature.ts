import { createHmac, timingSafeEqual } from 'node:crypto';

/** What Mailgun signs every webhook with: `signature` = HMAC-SHA256(signing key, timestamp ‖ token), hex. */
export interface MailgunSignature {
  timestamp: string;
  token: string;
  signature: string;
}

export type SignatureCheck = 'valid' | 'invalid' | 'stale';

/** How far a signature's timestamp may be from now, either way, before it is refused as stale. */
export const SIGNATURE_MAX_AGE_MS = 5 * 60_000;

/**
 * The signature is the HMAC of the timestamp and the token under the signing key, compared in constant
 * time; a timestamp further than five minutes from now is stale (a captured request cannot be replayed
 * later). Replays within that window are refused by remembering tokens (see `MailgunTokens`).
 */
export function checkMailgunSignature(signature: MailgunSignature, signingKey: string, now: Date): SignatureCheck {
  const { timestamp, token } = signature;
  if (!/^\d{1,12}$/.test(timestamp) || !/^[\w-]{16,200}$/.test(token) || !/^[0-9a-f]{64}$/.test(signature.signature))
    return 'invalid';
  const expected = createHmac('sha256', signingKey)
    .update(timestamp + token)
    .digest();
  if (!timingSafeEqual(expected, Buffer.from(signature.signature, 'hex'))) return 'invalid';
  return Math.abs(now.getTime() - Number(timestamp) * 1000) > SIGNATURE_MAX_AGE_MS ? 'stale' : 'valid';
}

/** Signs as Mailgun does: for the local stand-in and the tests. */
export function signMailgun(signingKey: string, timestamp: string, token: string): MailgunSignature {
  const signature = createHmac('sha256', signingKey)
    .update(timestamp + token)
    .digest('hex');
  return { timestamp, token, signature };
}
