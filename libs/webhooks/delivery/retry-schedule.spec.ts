import { afterFailure, WEBHOOK_RETRIES } from './retry-schedule';

const since = new Date('2026-12-01T00:00:00Z');
const later = (ms: number) => new Date(since.getTime() + ms);
const middle = () => 0.5;

describe('failed webhook deliveries', () => {
  it('are tried again after 5 s, then twice as long each time, up to an hour', () => {
    expect(afterFailure(WEBHOOK_RETRIES, 1, since, since, middle)).toEqual({ giveUp: false, at: later(5_000) });
    expect(afterFailure(WEBHOOK_RETRIES, 2, since, later(5_000), middle)).toEqual({
      giveUp: false,
      at: later(15_000),
    });
    expect(afterFailure(WEBHOOK_RETRIES, 40, since, later(60_000), middle)).toEqual({
      giveUp: false,
      at: later(60_000 + 3_600_000),
    });
  });

  it('spread by ±20 % so endpoints that failed together do not retry together', () => {
    expect(afterFailure(WEBHOOK_RETRIES, 1, since, since, () => 0)).toEqual({ giveUp: false, at: later(4_000) });
    expect(afterFailure(WEBHOOK_RETRIES, 1, since, since, () => 1)).toEqual({ giveUp: false, at: later(6_000) });
  });

  it('give up once they have failed for 3 days, not a moment before', () => {
    const threeDays = 3 * 24 * 3_600_000;
    expect(afterFailure(WEBHOOK_RETRIES, 80, since, later(threeDays - 1), middle).giveUp).toBe(false);
    expect(afterFailure(WEBHOOK_RETRIES, 81, since, later(threeDays), middle)).toEqual({ giveUp: true });
  });
});
