import type { JsonObject, JsonValue } from '@app/event-store';

/** Keys whose values could rebuild a link or a credential: never shown in a feed or a history. */
const SECRET_KEY = /nonce|token|secret|password|hash|credential/i;

/** An event as people and other services see it: its data without anything secret, at any depth. */
export function withoutSecrets(value: JsonObject): JsonObject {
  return strip(value) as JsonObject;
}

function strip(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !SECRET_KEY.test(key))
        .map(([key, v]) => [key, strip(v)]),
    );
  }
  return value;
}
