/** How failed deliveries are tried again. */
export interface RetrySchedule {
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** After failing this long without a success, the endpoint is disabled. */
  giveUpAfterMs: number;
}

export const WEBHOOK_RETRIES: RetrySchedule = {
  baseBackoffMs: 5_000,
  maxBackoffMs: 60 * 60_000,
  giveUpAfterMs: 3 * 24 * 60 * 60_000,
};

export type NextStep = { giveUp: true } | { giveUp: false; at: Date };

/**
 * After the `attempts`-th failure in a row (the first on `failingSince`): exponential backoff with
 * ±20 % jitter, capped, until the failures have lasted `giveUpAfterMs`.
 */
export function afterFailure(
  schedule: RetrySchedule,
  attempts: number,
  failingSince: Date,
  now: Date,
  random: () => number = Math.random,
): NextStep {
  if (now.getTime() - failingSince.getTime() >= schedule.giveUpAfterMs) return { giveUp: true };
  const backoff = Math.min(schedule.maxBackoffMs, schedule.baseBackoffMs * 2 ** Math.min(attempts - 1, 30));
  return { giveUp: false, at: new Date(now.getTime() + backoff * (0.8 + random() * 0.4)) };
}
