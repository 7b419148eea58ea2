import { parseToken, signToken, tokenMatches } from './link-token';

const key = { id: 'k1', secret: 'a-secret-of-at-least-thirty-two-characters' };
const id = '7e1b0c8a-3d7e-4f6a-9a43-3b3c1c0e9f10';

describe('link tokens', () => {
  it('are URL-safe and verify only for the nonce, purpose and key they were made with', () => {
    const token = signToken('invitation', key, id, 'nonce-1');
    expect(token).toMatch(/^[A-Za-z0-9_.-]+$/);
    const parsed = parseToken(token)!;
    expect(parsed).toMatchObject({ keyId: 'k1', subjectId: id });
    expect(tokenMatches('invitation', key, parsed, 'nonce-1')).toBe(true);
    expect(tokenMatches('invitation', key, parsed, 'nonce-2')).toBe(false);
    expect(tokenMatches('invitation-link', key, parsed, 'nonce-1')).toBe(false);
    expect(tokenMatches('invitation', { ...key, secret: `${key.secret}x` }, parsed, 'nonce-1')).toBe(false);
  });

  it.each([
    '',
    'x',
    'a.b.c',
    `k1.${'0'.repeat(32)}.short`,
    `k1.${'z'.repeat(32)}.${'A'.repeat(43)}`,
    `k!.${'0'.repeat(32)}.${'A'.repeat(43)}`,
    'x'.repeat(500),
  ])('rejects %j as malformed', (raw) => expect(parseToken(raw)).toBeNull());
});
