import { retryAfterMs } from './mailgun-transport';

describe('Retry-After', () => {
  const now = Date.parse('2031-01-01T00:00:00Z');

  it('reads delay-seconds, blanks around them allowed', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date as the time left until it, and a date past as no wait', () => {
    expect(retryAfterMs('Wed, 01 Jan 2031 00:01:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('Tue, 31 Dec 2030 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read, leaving the backoff to decide', () => {
    for (const value of [undefined, '', 'soon', '-5', '1.5']) expect(retryAfterMs(value, now)).toBeUndefined();
  });
});
