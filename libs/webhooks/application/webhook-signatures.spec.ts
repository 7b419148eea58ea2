import { Webhook } from 'standardwebhooks';
import { previousSignsUntil, secretsAt, signedHeaders, signingSecret } from './webhook-signatures';

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
    const headers = signedHeaders([secret], 'msg_1', new Date(), body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(`${body} `, { ...headers })).toThrow();
    const other = signingSecret(keys, 'e1', { keyId: 'k2', nonce: 'n2' });
    expect(() => new Webhook(other).verify(body, { ...headers })).toThrow();
  });

  it('carry one signature per secret after a rotation, each verified by the library with its own secret', () => {
    const current = signingSecret(keys, 'e1', { keyId: 'k2', nonce: 'new' });
    const previous = signingSecret(keys, 'e1', { keyId: 'k1', nonce: 'old' });
    const body = JSON.stringify({ type: 'InvitationIssued', timestamp: '2026-12-02T10:00:00.000Z', data: {} });
    const headers = signedHeaders([current, previous], 'msg_2', new Date(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('include the secret before a rotation until its time is up, and not from then on', () => {
    const secrets = { current: 'whsec_new', previous: { secret: 'whsec_old', until: '2026-12-03T10:00:00.000Z' } };
    expect(secretsAt(secrets, new Date('2026-12-03T09:59:59.999Z'))).toEqual(['whsec_new', 'whsec_old']);
    expect(previousSignsUntil(secrets, new Date('2026-12-03T09:59:59.999Z'))).toBe('2026-12-03T10:00:00.000Z');
    expect(secretsAt(secrets, new Date('2026-12-03T10:00:00.000Z'))).toEqual(['whsec_new']);
    expect(previousSignsUntil(secrets, new Date('2026-12-03T10:00:00.000Z'))).toBeNull();
    expect(secretsAt({ current: 'whsec_new', previous: null }, new Date())).toEqual(['whsec_new']);
  });
});
