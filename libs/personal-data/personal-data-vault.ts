import { createHmac, hkdfSync, randomUUID } from 'node:crypto';
import type { Clock } from '@app/clock';
import { chunksOf, placeholderList, type SqlDatabase } from '@app/sql';
import { isSealed, keyIdOf, newKey, openWith, sealWith } from './sealed-value';

/**
 * The keys personal data is sealed under, one per person, kept outside the log. A person is their
 * address, known here only as a keyed HMAC of it (`subjectOf`): the same secret keys every stream or
 * index that must find an address, so none holds the address or a plain hash of it.
 */
export class PersonalDataVault {
  private readonly kek: Buffer;
  private readonly hmacKey: Buffer;
  /**
   * Keys read in the last few seconds, by id: every processor opens the same new events one after
   * another. Erasing clears this instance's at once; another instance's lapse within KEY_CACHE_MS.
   */
  private readonly recent = new Map<string, { subject: string; key: Buffer; until: number }>();

  constructor(
    private readonly db: SqlDatabase,
    secret: string,
    private readonly clock: Clock,
  ) {
    if (secret.length < 32) throw new Error('The personal data secret must be at least 32 characters');
    this.kek = derive(secret, 'personal-data key wrapping');
    this.hmacKey = derive(secret, 'personal-data address hmac');
  }

  /** The person an address belongs to: HMAC-SHA256 of the address as given (callers normalise it), hex. */
  subjectOf(address: string): string {
    return createHmac('sha256', this.hmacKey).update(address).digest('hex');
  }

  /** Seals values of one person under their current key (made on first use). */
  async seal(subject: string, values: readonly string[]): Promise<string[]> {
    return (await this.sealEach([{ subject, values }]))[0];
  }

  /** Seals values of many people at once: one look-up of their keys, one write of the keys made. */
  async sealEach(people: readonly { subject: string; values: readonly string[] }[]): Promise<string[][]> {
    const keys = await this.currentKeys([...new Set(people.map((p) => p.subject))]);
    return people.map(({ subject, values }) => {
      const { keyId, key } = keys.get(subject)!;
      return values.map((value) => sealWith(keyId, key, value));
    });
  }

  /**
   * Opens sealed values, one look-up for all their keys: each plaintext, or null where the person was
   * erased (their key is gone). Values that are not sealed (written before sealing) come back as they are.
   */
  async open(values: readonly unknown[]): Promise<(string | null)[]> {
    const keys = await this.keys(values.filter(isSealed).map(keyIdOf));
    return values.map((value) => {
      if (!isSealed(value)) return value as string;
      const key = keys.get(keyIdOf(value));
      return key ? openWith(key, value) : null;
    });
  }

  /** Deletes every key of the person: what was sealed under them is unreadable from now on. */
  async erase(subject: string): Promise<number> {
    for (const [keyId, entry] of this.recent) if (entry.subject === subject) this.recent.delete(keyId);
    return this.db.execute('DELETE FROM personal_data_keys WHERE subject = $1', [subject]);
  }

  /** Each person's newest key, made for those who have none yet. */
  private async currentKeys(subjects: readonly string[]): Promise<Map<string, { keyId: string; key: Buffer }>> {
    const now = this.clock.now().getTime();
    const found = new Map<string, { keyId: string; key: Buffer }>();
    for (const chunk of chunksOf(subjects, 500)) {
      const rows = await this.db.query<{ key_id: string; subject: string; wrapped: string; created_at: string }>(
        `SELECT key_id, subject, wrapped, created_at FROM personal_data_keys
         WHERE subject IN (${placeholderList(chunk.length)}) ORDER BY created_at, key_id`,
        chunk,
      );
      for (const row of rows)
        found.set(row.subject, { keyId: row.key_id, key: this.remember(row.key_id, row.subject, row.wrapped, now) });
    }
    // Two writers for one new person may each make a key: both are the person's, both go on erasure.
    const made = subjects
      .filter((subject) => !found.has(subject))
      .map((subject) => ({ subject, keyId: randomUUID(), key: newKey() }));
    if (!made.length) return found;
    const at = new Date(now).toISOString();
    // One transaction for all of them: on SQLite each commit is a sync to disk.
    await this.db.transaction(async (tx) => {
      for (const chunk of chunksOf(made, 200)) {
        const values = chunk.map((_, i) => `(${placeholderList(4, i * 4 + 1)})`).join(', ');
        await tx.execute(
          `INSERT INTO personal_data_keys (key_id, subject, wrapped, created_at) VALUES ${values}`,
          chunk.flatMap(({ keyId, subject, key }) => [
            keyId,
            subject,
            sealWith(keyId, this.kek, key.toString('base64url')),
            at,
          ]),
        );
      }
    });
    for (const { subject, keyId, key } of made) {
      found.set(subject, { keyId, key });
      this.recent.set(keyId, { subject, key, until: now + KEY_CACHE_MS });
    }
    return found;
  }

  private async keys(keyIds: readonly string[]): Promise<Map<string, Buffer>> {
    const now = this.clock.now().getTime();
    const found = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const keyId of new Set(keyIds)) {
      const entry = this.recent.get(keyId);
      if (entry && entry.until > now) found.set(keyId, entry.key);
      else missing.push(keyId);
    }
    for (const chunk of chunksOf(missing, 500)) {
      const rows = await this.db.query<{ key_id: string; subject: string; wrapped: string }>(
        `SELECT key_id, subject, wrapped FROM personal_data_keys WHERE key_id IN (${placeholderList(chunk.length)})`,
        chunk,
      );
      for (const row of rows) found.set(row.key_id, this.remember(row.key_id, row.subject, row.wrapped, now));
    }
    return found;
  }

  private remember(keyId: string, subject: string, wrapped: string, now: number): Buffer {
    const key = this.unwrap(keyId, wrapped);
    if (this.recent.size >= KEY_CACHE_SIZE) this.recent.clear();
    this.recent.set(keyId, { subject, key, until: now + KEY_CACHE_MS });
    return key;
  }

  private unwrap(keyId: string, wrapped: string): Buffer {
    if (keyIdOf(wrapped) !== keyId) throw new Error(`Personal data key ${keyId} is not stored under its own id`);
    return Buffer.from(openWith(this.kek, wrapped), 'base64url');
  }
}

/** How long a key read stays at hand, and how many at most. */
export const KEY_CACHE_MS = 5_000;
const KEY_CACHE_SIZE = 50_000;

function derive(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'patient-invitations', purpose, 32));
}
