import { InvitationError } from './invitation-error';

/** Exactly the four windows of API.md; 1y is 365 days. */
export const EXPIRY_WINDOWS = {
  '24h': 24 * 3600,
  '48h': 48 * 3600,
  '7d': 7 * 24 * 3600,
  '1y': 365 * 24 * 3600,
} as const;
export type ExpiryWindowName = keyof typeof EXPIRY_WINDOWS;

/** Whether an expiry has come: the instant itself counts as past. */
export function isPast(expiresAt: string, now: Date): boolean {
  return now.getTime() >= Date.parse(expiresAt);
}

export class ExpiryWindow {
  private constructor(readonly name: ExpiryWindowName) {}

  static parse(value: unknown): ExpiryWindow {
    if (typeof value !== 'string' || !Object.prototype.hasOwnProperty.call(EXPIRY_WINDOWS, value)) {
      throw new InvitationError('invalid_expiry', `expiresIn must be one of ${Object.keys(EXPIRY_WINDOWS).join(', ')}`);
    }
    return new ExpiryWindow(value as ExpiryWindowName);
  }

  get seconds(): number {
    return EXPIRY_WINDOWS[this.name];
  }

  from(now: Date): Date {
    return new Date(now.getTime() + this.seconds * 1000);
  }
}
