import { Webhook } from 'standardwebhooks';
import { signedHeaders, signingSecret } from './webhook-signatures';

const keys = [
  { id: 'k2', secret: 'the newer server key, long enough to use' },
  { id: 'k1', secret: 'the older server key, long enough to use' },
];

describe('webhook signatures', () => {
  it('derive a whsec_ secret of 32 bytes from the key the endpoint names and its nonce', () => {
    const secret = signingSecret(keys, 'e1', { keyId: 'k1', nonce: 'n1' });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(signingSecret(keys, 'e1', { keyId: 'k1', nonce: 'n1' })).toBe(secret);
    expect(signingSecret(keys, 'e1', { keyId: 'k1', nonce: 'n2' })).not.toBe(secret);
    expect(signingSecret(keys, 'e2', { keyId: 'k1', nonce: 'n1' })).not.toBe(secret);
    expect(signingSecret(keys, 'e1', { keyId: 'k2', nonce: 'n1' })).not.toBe(secret);
    expect(() => signingSecret(keys, 'e1', { keyId: 'gone', nonce: 'n1' })).toThrow(/no longer configured/);
  });

  it('are what the Standard Webhooks library verifies', () => {
    const secret = signingSecret(keys, 'e1', { keyId: 'k2', nonce: 'n1' });
    const body = JSON.stringify({ type: 'InvitationIssued', timestamp: '2026-12-02T10:00:00.000Z', data: { a: 'é' } });
    const headers = signedHeaders(secret, 'msg_1', new Date(), body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(`${body} `, { ...headers })).toThrow();
    const other = signingSecret(keys, 'e1', { keyId: 'k2', nonce: 'n2' });
    expect(() => new Webhook(other).verify(body, { ...headers })).toThrow();
  });
});
