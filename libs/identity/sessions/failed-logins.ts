import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@app/clock';
import { PersonalDataVault } from '@app/personal-data';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { IdentityError } from '../domain/identity-error';

/** Failures allowed before each further attempt must wait. */
export const FREE_FAILURES = 5;
const MAX_DELAY_SECONDS = 15 * 60;

/**
 * Slows down guessing at one address: after five failed sign-ins in a row, each next attempt waits
 * 1, 2, 4 … seconds (at most 15 minutes), right password or not. Counted for any address, with an
 * account or without, so the answer never tells which addresses exist. A success starts afresh.
 * The row is found by a keyed HMAC of the address (never the address or a plain hash of it).
 */
@Injectable()
export class FailedLogins {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly vault: PersonalDataVault,
  ) {}

  async checkAllowed(address: string): Promise<void> {
    const [row] = await this.db.query<{ failures: number | string; retry_at: string }>(
      'SELECT failures, retry_at FROM login_failures WHERE address_hash = $1',
      [this.key(address)],
    );
    // The free failures never wait, whatever another instance's clock wrote as their time.
    if (!row || Number(row.failures) < FREE_FAILURES) return;
    const wait = Math.ceil((Date.parse(row.retry_at) - this.clock.now().getTime()) / 1000);
    if (wait > 0)
      throw new IdentityError(
        'login_delayed',
        'Too many failed sign-ins with this address; wait and try again',
        undefined,
        wait,
      );
  }

  async failed(address: string): Promise<void> {
    const now = this.clock.now();
    const [row] = await this.db.query<{ failures: number | string }>(
      `INSERT INTO login_failures (address_hash, failures, retry_at) VALUES ($1, 1, $2)
       ON CONFLICT (address_hash) DO UPDATE SET failures = login_failures.failures + 1
       RETURNING failures`,
      [this.key(address), now.toISOString()],
    );
    const beyond = Number(row.failures) - FREE_FAILURES;
    if (beyond >= 0) {
      const delay = Math.min(MAX_DELAY_SECONDS, 2 ** beyond);
      await this.db.execute('UPDATE login_failures SET retry_at = $2 WHERE address_hash = $1', [
        this.key(address),
        new Date(now.getTime() + delay * 1000).toISOString(),
      ]);
    }
  }

  async succeeded(address: string): Promise<void> {
    await this.db.execute('DELETE FROM login_failures WHERE address_hash = $1', [this.key(address)]);
  }

  private key(address: string): string {
    return this.vault.nameFor(`login:${address}`);
  }
}
