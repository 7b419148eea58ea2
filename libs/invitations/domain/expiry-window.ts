import { InvitationError } from './invitation-error';

import { EXPIRY_WINDOWS, type ExpiryWindowName, isExpiryWindowName } from '@app/link-tokens';

/** Whether an expiry has come: the instant itself counts as past. */
export function isPast(expiresAt: string, now: Date): boolean {
  return now.getTime() >= Date.parse(expiresAt);
}

export class ExpiryWindow {
  private constructor(readonly name: ExpiryWindowName) {}

  static parse(value: unknown): ExpiryWindow {
    if (!isExpiryWindowName(value)) {
      throw new InvitationError('invalid_expiry', `expiresIn must be one of ${Object.keys(EXPIRY_WINDOWS).join(', ')}`);
    }
    return new ExpiryWindow(value);
  }

  get seconds(): number {
    return EXPIRY_WINDOWS[this.name];
  }

  from(now: Date): Date {
    return new Date(now.getTime() + this.seconds * 1000);
  }
}
