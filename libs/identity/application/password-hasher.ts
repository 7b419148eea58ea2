import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * scrypt, memory-hard: `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`. The cost travels with each hash,
 * so it can be raised later and old hashes still verify.
 */
export class PasswordHasher {
  /** A hash of nothing anyone knows, verified when an address has no account: the same work either way. */
  private readonly decoy: Promise<string>;

  constructor(private readonly log2N = 15) {
    this.decoy = this.hash(randomBytes(24).toString('base64'));
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const r = 8;
    const p = 1;
    const key = await scryptAsync(password, salt, this.options(this.log2N, r, p));
    return ['scrypt', this.log2N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
  }

  /** Constant-time compare; a missing hash costs the same as a wrong password. */
  async verify(password: string, stored: string | null): Promise<boolean> {
    const encoded = stored ?? (await this.decoy);
    const [scheme, log2N, r, p, salt, expected] = encoded.split('$');
    if (scheme !== 'scrypt' || !salt || !expected) return false;
    const key = await scryptAsync(
      password,
      Buffer.from(salt, 'base64'),
      this.options(Number(log2N), Number(r), Number(p)),
    );
    const matches = timingSafeEqual(key, Buffer.from(expected, 'base64'));
    return matches && stored !== null;
  }

  private options(log2N: number, r: number, p: number): ScryptOptions {
    const N = 2 ** log2N;
    return { N, r, p, maxmem: 256 * N * r };
  }
}
