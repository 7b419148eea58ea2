import { createHmac, hkdfSync, randomUUID } from 'node:crypto';
import type { Clock } from '@app/clock';
import { chunksOf, placeholderList, type SqlDatabase, type SqlExecutor } from '@app/sql';
import { isSealed, keyIdOf, newKey, openWith, sealWith } from './sealed-value';

/**
 * The keys personal data is sealed under, one per person, kept outside the log. A person is their
 * address, known here only as a keyed HMAC of it (`subjectOf`): the same secret keys every stream or
 * index that must find an address, so none holds the address or a plain hash of it.
 */
export class PersonalDataVault {
  private readonly kek: Buffer;
  private readonly hmacKey: Buffer;
  private readonly nameKey: Buffer;
  /**
   * Keys read in the last few seconds, by id: every processor opens the same new events one after
   * another. Erasing clears this instance's at once; another instance's lapse within KEY_CACHE_MS.
   */
  private readonly recent = new Map<string, { subject: string; scope: string; key: Buffer; until: number }>();

  constructor(
    private readonly db: SqlDatabase,
    secret: string,
    private readonly clock: Clock,
  ) {
    if (secret.length < 32) throw new Error('The personal data secret must be at least 32 characters');
    this.kek = derive(secret, 'personal-data key wrapping');
    this.hmacKey = derive(secret, 'personal-data address hmac');
    this.nameKey = derive(secret, 'personal-data index names');
  }

  /** The person an address belongs to: HMAC-SHA256 of the address as given (callers normalise it), hex. */
  subjectOf(address: string): string {
    return createHmac('sha256', this.hmacKey).update(address).digest('hex');
  }

  /**
   * A name for a stream or an index row that must be found from a text holding an address: HMAC-SHA256
   * of it under a key of its own, hex. Stable while PERSONAL_DATA_KEY is; reveals nothing of the text.
   */
  nameFor(text: string): string {
    return createHmac('sha256', this.nameKey).update(text).digest('hex');
  }

  /** Seals values of one person under their current key for the scope (made on first use). */
  async seal(subject: string, values: readonly string[], scope = PERSON): Promise<string[]> {
    return (await this.sealEach([{ subject, scope, values }]))[0];
  }

  /**
   * Seals values of many people at once: one look-up of their keys, one write of the keys made. Each
   * value goes under the person's key for its scope: `PERSON` ('') for what is theirs as long as they
   * are, or a scope that may be shredded alone (retention: `invitation-<id>`).
   */
  async sealEach(people: readonly SealRequest[]): Promise<string[][]> {
    const requests = people.map(({ subject, scope = PERSON, values }) => ({
      subject,
      scope,
      values,
      name: keyName(subject, scope),
    }));
    const keys = await this.currentKeys(requests);
    for (const key of await this.makeKeys(requests.filter(({ name }) => !keys.has(name))))
      keys.set(keyName(key.subject, key.scope), key);
    return requests.map(({ name, values }) => {
      const { keyId, key } = keys.get(name)!;
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

  /** Deletes every key of the person, of every scope: what was sealed for them is unreadable from now on. */
  async erase(subject: string): Promise<number> {
    for (const [keyId, entry] of this.recent) if (entry.subject === subject) this.recent.delete(keyId);
    return this.db.execute('DELETE FROM personal_data_keys WHERE subject = $1', [subject]);
  }

  /**
   * Deletes the keys of one scope, in the caller's transaction: what was sealed in it is unreadable from
   * then on, the people's other data is not touched.
   */
  async eraseScope(tx: SqlExecutor, scope: string): Promise<number> {
    if (scope === PERSON) throw new Error('A person’s own key goes only with the person (erase)');
    for (const [keyId, entry] of this.recent) if (entry.scope === scope) this.recent.delete(keyId);
    return tx.execute('DELETE FROM personal_data_keys WHERE scope = $1', [scope]);
  }

  /** The newest key of each wanted person and scope, by `keyName(subject, scope)`; only those are unwrapped. */
  private async currentKeys(
    wanted: readonly { subject: string; name: string }[],
  ): Promise<Map<string, { keyId: string; key: Buffer }>> {
    const now = this.clock.now().getTime();
    const found = new Map<string, { keyId: string; key: Buffer }>();
    const names = new Set(wanted.map(({ name }) => name));
    const subjects = [...new Set(wanted.map(({ subject }) => subject))];
    for (const chunk of chunksOf(subjects, 500)) {
      const rows = await this.db.query<{ key_id: string; subject: string; scope: string; wrapped: string }>(
        `SELECT key_id, subject, scope, wrapped FROM personal_data_keys
         WHERE subject IN (${placeholderList(chunk.length)}) ORDER BY created_at, key_id`,
        chunk,
      );
      // Oldest first: the newest of each person and scope is the one kept.
      const newest = new Map(rows.map((row) => [keyName(row.subject, row.scope), row]));
      for (const [name, row] of newest)
        if (names.has(name))
          found.set(name, {
            keyId: row.key_id,
            key: this.remember(row.key_id, row.subject, row.scope, row.wrapped, now),
          });
    }
    return found;
  }

  /**
   * New keys, all written in one transaction (on SQLite each commit is a sync to disk). Two writers for
   * one new person may each make a key: both are the person's, both go on erasure.
   */
  private async makeKeys(
    wanted: readonly { subject: string; scope: string }[],
  ): Promise<{ subject: string; scope: string; keyId: string; key: Buffer }[]> {
    const unique = [...new Map(wanted.map((w) => [keyName(w.subject, w.scope), w])).values()];
    if (!unique.length) return [];
    const now = this.clock.now().getTime();
    const made = unique.map(({ subject, scope }) => ({ subject, scope, keyId: randomUUID(), key: newKey() }));
    const at = new Date(now).toISOString();
    await this.db.transaction(async (tx) => {
      for (const chunk of chunksOf(made, 200)) {
        const values = chunk.map((_, i) => `(${placeholderList(5, i * 5 + 1)})`).join(', ');
        await tx.execute(
          `INSERT INTO personal_data_keys (key_id, subject, scope, wrapped, created_at) VALUES ${values}`,
          chunk.flatMap(({ keyId, subject, scope, key }) => [
            keyId,
            subject,
            scope,
            sealWith(keyId, this.kek, key.toString('base64url')),
            at,
          ]),
        );
      }
    });
    for (const { subject, scope, keyId, key } of made)
      this.recent.set(keyId, { subject, scope, key, until: now + KEY_CACHE_MS });
    return made;
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
      const rows = await this.db.query<{ key_id: string; subject: string; scope: string; wrapped: string }>(
        `SELECT key_id, subject, scope, wrapped FROM personal_data_keys
         WHERE key_id IN (${placeholderList(chunk.length)})`,
        chunk,
      );
      for (const row of rows)
        found.set(row.key_id, this.remember(row.key_id, row.subject, row.scope, row.wrapped, now));
    }
    return found;
  }

  private remember(keyId: string, subject: string, scope: string, wrapped: string, now: number): Buffer {
    const key = this.unwrap(keyId, wrapped);
    if (this.recent.size >= KEY_CACHE_SIZE) this.recent.clear();
    this.recent.set(keyId, { subject, scope, key, until: now + KEY_CACHE_MS });
    return key;
  }

  private unwrap(keyId: string, wrapped: string): Buffer {
    if (keyIdOf(wrapped) !== keyId) throw new Error(`Personal data key ${keyId} is not stored under its own id`);
    return Buffer.from(openWith(this.kek, wrapped), 'base64url');
  }
}

/** The scope of what is a person's own as long as they are: shredded only when they are erased. */
export const PERSON = '';

export interface SealRequest {
  subject: string;
  /** Default `PERSON`. */
  scope?: string;
  values: readonly string[];
}

function keyName(subject: string, scope: string): string {
  return `${subject}/${scope}`;
}

/** How long a key read stays at hand, and how many at most. */
export const KEY_CACHE_MS = 5_000;
const KEY_CACHE_SIZE = 50_000;

function derive(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'patient-invitations', purpose, 32));
}
