import { createHmac } from 'node:crypto';
import type { SigningInput } from '../domain/webhook-events';

export interface SigningKey {
  id: string;
  secret: string;
}

const SECRET_PREFIX = 'whsec_';

/**
 * An endpoint's signing secret, `whsec_` and 32 bytes in base64 as the Standard Webhooks
 * specification writes it: an HMAC of the endpoint's id and nonce under a server key. It is derived
 * whenever it is needed and stored nowhere, so the log and the database hold nothing that signs.
 */
export function signingSecret(keys: readonly SigningKey[], endpointId: string, input: SigningInput): string {
  const key = keys.find((k) => k.id === input.keyId);
  if (!key) throw new Error(`The key ${input.keyId} that signs webhook endpoint ${endpointId} is no longer configured`);
  const bytes = createHmac('sha256', key.secret)
    .update(`webhook-secret\u0000${endpointId}\u0000${input.nonce}`)
    .digest();
  return SECRET_PREFIX + bytes.toString('base64');
}

export type SignedHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** What signs an endpoint's messages: its secret, and for a while after a rotation the one before. */
export interface EndpointSecrets {
  current: string;
  previous: { secret: string; until: string } | null;
}

/** The secret before the latest rotation, if it still signs at `at`. */
function previousAt({ previous }: EndpointSecrets, at: Date): { secret: string; until: string } | null {
  return previous && at.toISOString() < previous.until ? previous : null;
}

/** The secrets that sign at `at`, the current one first. */
export function secretsAt(secrets: EndpointSecrets, at: Date): string[] {
  const previous = previousAt(secrets, at);
  return previous ? [secrets.current, previous.secret] : [secrets.current];
}

/** Until when the secret before the latest rotation signs, if it still does at `at`. */
export function previousSignsUntil(secrets: EndpointSecrets, at: Date): string | null {
  return previousAt(secrets, at)?.until ?? null;
}

/**
 * Standard Webhooks' signature: HMAC-SHA256, keyed by the secret's bytes, over
 * `<webhook-id>.<webhook-timestamp>.<body>`, sent as `v1,<base64>`; one per secret, separated by a
 * space (a receiver accepts the message when any of them verifies with its secret).
 */
export function signedHeaders(secrets: readonly string[], id: string, at: Date, body: string): SignedHeaders {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signatures = secrets.map((secret) => {
    const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
    return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
  });
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}
