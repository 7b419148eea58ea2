import { randomUUID } from 'node:crypto';
import { parseToken, signToken, tokenMatches } from './link-token';

const key = { id: 'k1', secret: 'a-token-key-that-is-long-enough-0123456789' };
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('tokens in canonical form only', () => {
  it('refuses a token whose last character was changed in its unused bits, though it decodes to the same MAC', () => {
    const id = randomUUID();
    const token = signToken('invitation', key, id, 'nonce');
    const last = token[token.length - 1];
    // 43 characters carry 258 bits for a 256-bit MAC: the last character's two lowest bits are padding.
    const variant = token.slice(0, -1) + BASE64URL[BASE64URL.indexOf(last) ^ 1];
    expect(Buffer.from(variant.split('.')[2], 'base64url')).toEqual(Buffer.from(token.split('.')[2], 'base64url'));
    expect(parseToken(variant)).toBeNull();
    const parsed = parseToken(token);
    expect(parsed && tokenMatches('invitation', key, parsed, 'nonce')).toBe(true);
  });
});
