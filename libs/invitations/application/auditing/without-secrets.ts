import type { JsonObject, JsonValue } from '@app/event-store';

/** Words in the names of keys whose values could rebuild a link or a credential: never shown in a feed or a history. */
const SECRET_WORDS = 'nonce|token|secret|password|hash|credential';
const SECRET_KEY = new RegExp(SECRET_WORDS, 'i');

/**
 * A key whose name looks secret, with what follows it up to its value. In JSON text a quote right
 * after `{` or `,` (blanks aside) always opens a key: inside a string a quote is escaped, and a string
 * never ends just before a letter. A key holding an escape (`\"`, `\u…`) is not matched here: texts
 * the log holds are written by `JSON.stringify`, which escapes no letter.
 */
const SECRET_PAIR = new RegExp(`[{,]\\s*"[^"\\\\]*(?:${SECRET_WORDS})[^"\\\\]*"\\s*:\\s*`, 'gi');

/**
 * A JSON object's text without its secrets, the same as `withoutSecrets` gives, found in one scan of
 * the text: passed on as it is when no key looks secret, else each secret pair whose value is a
 * string, number or literal is cut out; a secret holding an object or array, rare, sends the whole
 * text through parse, strip and stringify.
 */
export function jsonWithoutSecrets(json: string): string {
  return cutSecretPairs(json) ?? JSON.stringify(withoutSecrets(JSON.parse(json) as JsonObject));
}

function cutSecretPairs(json: string): string | null {
  let text = json;
  let from = 0;
  for (;;) {
    SECRET_PAIR.lastIndex = from;
    const pair = SECRET_PAIR.exec(text);
    if (!pair) return text;
    const end = endOfScalar(text, SECRET_PAIR.lastIndex);
    if (end < 0) return null;
    from = pair.index;
    if (text[from] === ',') text = text.slice(0, from) + text.slice(end);
    else text = text.slice(0, from + 1) + text.slice(afterComma(text, end));
  }
}

/** Where a string, number, `true`, `false` or `null` starting at `at` ends; -1 for an object or array. */
function endOfScalar(text: string, at: number): number {
  const first = text[at];
  if (first === '{' || first === '[') return -1;
  if (first === '"') {
    for (let quote = text.indexOf('"', at + 1); quote > 0; quote = text.indexOf('"', quote + 1)) {
      let slashes = 0;
      while (text[quote - 1 - slashes] === '\\') slashes++;
      if (slashes % 2 === 0) return quote + 1;
    }
    return -1;
  }
  let end = at;
  while (end < text.length && !',}] \t\r\n'.includes(text[end])) end++;
  return end;
}

/** Past the comma that follows a removed first pair, so the next pair becomes the first. */
function afterComma(text: string, at: number): number {
  let next = at;
  while (' \t\r\n'.includes(text[next])) next++;
  return text[next] === ',' ? next + 1 : at;
}

/** An event as people and other services see it: its data without anything secret, at any depth. */
export function withoutSecrets(value: JsonObject): JsonObject {
  return strip(value) as JsonObject;
}

function strip(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const kept: JsonObject = {};
    for (const key of Object.keys(value)) if (!SECRET_KEY.test(key)) kept[key] = strip(value[key]);
    return kept;
  }
  return value;
}
