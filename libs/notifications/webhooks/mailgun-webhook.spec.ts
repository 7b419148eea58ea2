import { checkMailgunSignature, signMailgun } from './mailgun-signature';
import { deliveryReportOf } from './mailgun-report';

describe('Mailgun webhook signatures', () => {
  const key = 'signing-key';
  const now = new Date('2026-12-02T10:00:00Z');
  const at = (offsetMs: number) => String(Math.floor((now.getTime() + offsetMs) / 1000));
  const token = 'a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0';

  it('matches the HMAC-SHA256 of timestamp and token under the signing key', () => {
    expect(checkMailgunSignature(signMailgun(key, at(0), token), key, now)).toBe('valid');
    expect(checkMailgunSignature(signMailgun('other', at(0), token), key, now)).toBe('invalid');
    const altered = { ...signMailgun(key, at(0), token), token: token.replace('a', 'b') };
    expect(checkMailgunSignature(altered, key, now)).toBe('invalid');
  });

  it('is stale more than five minutes either side of now', () => {
    expect(checkMailgunSignature(signMailgun(key, at(-299_000), token), key, now)).toBe('valid');
    expect(checkMailgunSignature(signMailgun(key, at(-301_000), token), key, now)).toBe('stale');
    expect(checkMailgunSignature(signMailgun(key, at(301_000), token), key, now)).toBe('stale');
  });

  it.each([
    { timestamp: 'soon', token, signature: '0'.repeat(64) },
    { timestamp: at(0), token: 'short', signature: '0'.repeat(64) },
    { timestamp: at(0), token, signature: 'not hex' },
  ])('refuses malformed parts without computing anything: %j', (signature) => {
    expect(checkMailgunSignature(signature, key, now)).toBe('invalid');
  });
});

describe('Mailgun events as delivery reports', () => {
  const base = { id: 'e1', recipient: 'Pat@Example.org', 'user-variables': { mailId: 'm1' } };

  it('reads a permanent failure in words, without any address', () => {
    const report = deliveryReportOf({
      ...base,
      event: 'failed',
      severity: 'permanent',
      'delivery-status': { code: 550, description: 'No such user: pat@example.org' },
      message: { headers: { 'message-id': '<abc@mg.example.org>' } },
    });
    expect(report).toEqual({
      kind: 'bounced',
      providerEventId: 'e1',
      recipient: 'pat@example.org',
      mailId: 'm1',
      messageId: 'abc@mg.example.org',
      reason: "The recipient's mail server refused it (550: No such user: the address)",
    });
  });

  it('reads a complaint', () => {
    expect(deliveryReportOf({ ...base, event: 'complained' })).toMatchObject({ kind: 'complained', mailId: 'm1' });
  });

  it.each([
    { ...base, event: 'failed', severity: 'temporary' },
    { ...base, event: 'delivered' },
    { ...base, event: 'opened' },
    { event: 'failed', severity: 'permanent', recipient: 'x@example.org' },
    { ...base, recipient: undefined, event: 'complained' },
  ])('makes no report of %j', (data) => {
    expect(deliveryReportOf(data)).toBeNull();
  });
});
