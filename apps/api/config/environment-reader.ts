/** Shortest secret accepted for JWT_SECRET and each TOKEN_SECRET key. */
export const MIN_SECRET_LENGTH = 32;

/**
 * Reads environment variables one rule at a time, collecting every problem (naming the variable)
 * instead of stopping at the first: a misconfigured start says everything that is wrong at once.
 */
export class EnvironmentReader {
  readonly problems: string[] = [];

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    readonly production: boolean,
  ) {}

  text(name: string): string | undefined {
    return this.env[name] || undefined;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.env[name] || fallback;
    if (!(allowed as readonly string[]).includes(value))
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
    return value as T;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max)
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return value;
  }

  url(name: string, fallback: string | undefined, protocols: string[]): string | undefined {
    const value = this.env[name] || fallback;
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) throw new Error();
    } catch {
      this.problems.push(`${name} must be a ${protocols.join(' or ')} URL (got "${redactUrl(value)}")`);
    }
    return value.replace(/\/+$/, '');
  }

  /**
   * Unset outside production: '' here, then generated once and kept by withServiceSecrets.
   * `wholeLength: false` when the value is a list whose parts are checked one by one.
   */
  secret(name: string, { wholeLength = true } = {}): string {
    const value = this.env[name];
    if (!value) {
      if (this.production) this.problems.push(`${name} is required in production`);
      return '';
    }
    if (wholeLength && value.length < MIN_SECRET_LENGTH)
      this.problems.push(`${name} must be at least ${MIN_SECRET_LENGTH} characters`);
    return value;
  }

  required(name: string, why: string): string {
    if (!this.env[name]) this.problems.push(`${name} is required ${why}`);
    return this.env[name] ?? '';
  }

  refuse(problem: string): void {
    this.problems.push(problem);
  }
}

/** A URL fit for a log or an error: any password in it masked. */
export function redactUrl(value: string): string {
  return value.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
