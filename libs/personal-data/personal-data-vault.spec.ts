import { ControllableClock } from '@app/clock';
import { migrate } from '@app/sql';
import { temporarySqlite } from '@app/sql/testing/test-databases';
import { personalDataMigrations } from './personal-data-keys.schema';
import { KEY_CACHE_MS, PersonalDataVault } from './personal-data-vault';

describe('the personal data vault', () => {
  const target = temporarySqlite();
  const clock = new ControllableClock(new Date('2030-01-01T00:00:00Z'));
  let vault: PersonalDataVault;
  beforeAll(async () => {
    await migrate(target.db, 'personal-data', personalDataMigrations);
    vault = new PersonalDataVault(target.db, 'a personal data secret of enough length', clock);
  });
  afterAll(() => target.drop());

  const ann = () => vault.subjectOf('ann@example.org');
  const bob = () => vault.subjectOf('bob@example.org');

  it('knows a person by a keyed HMAC of their address: stable, not the address, not its plain hash', () => {
    expect(ann()).toMatch(/^[0-9a-f]{64}$/);
    expect(ann()).toBe(vault.subjectOf('ann@example.org'));
    expect(ann()).not.toBe(bob());
    const other = new PersonalDataVault(target.db, 'another personal data secret, long enough', clock);
    expect(other.subjectOf('ann@example.org')).not.toBe(ann());
  });

  it('seals each value apart under the person’s key, and opens it again', async () => {
    const [a1, a2] = await vault.seal(ann(), ['ann@example.org', 'Ann Lee']);
    const [again] = await vault.seal(ann(), ['ann@example.org']);
    expect(a1).toMatch(/^pd1\.[0-9a-f-]{36}\.[\w-]+\.[\w-]+$/);
    expect(a1).not.toContain('ann');
    expect(again).not.toBe(a1);
    expect(again.split('.')[1]).toBe(a1.split('.')[1]);
    expect(await vault.open([a1, a2, again, 'written before sealing'])).toEqual([
      'ann@example.org',
      'Ann Lee',
      'ann@example.org',
      'written before sealing',
    ]);
  });

  it('keeps keys wrapped: the key table holds no key in the clear', async () => {
    const rows = await target.db.query<{ wrapped: string }>('SELECT wrapped FROM personal_data_keys');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.wrapped).toMatch(/^pd1\./);
  });

  it('erases a person: what was sealed for them opens to nothing, anyone else’s still opens', async () => {
    const [a] = await vault.seal(ann(), ['ann@example.org']);
    const [b] = await vault.seal(bob(), ['bob@example.org']);
    expect(await vault.erase(ann())).toBe(1);
    expect(await vault.open([a, b])).toEqual([null, 'bob@example.org']);
    // The same address later is a new person: a new key, readable, and the old values stay unreadable.
    const [fresh] = await vault.seal(ann(), ['ann@example.org']);
    expect(fresh.split('.')[1]).not.toBe(a.split('.')[1]);
    expect(await vault.open([fresh, a])).toEqual(['ann@example.org', null]);
  });

  it('lets another instance open an erased person’s values only until its keys at hand lapse', async () => {
    const elsewhere = new PersonalDataVault(target.db, 'a personal data secret of enough length', clock);
    const [c] = await vault.seal(vault.subjectOf('cy@example.org'), ['cy@example.org']);
    expect(await elsewhere.open([c])).toEqual(['cy@example.org']);
    await vault.erase(vault.subjectOf('cy@example.org'));
    expect(await vault.open([c])).toEqual([null]);
    expect(await elsewhere.open([c])).toEqual(['cy@example.org']);
    clock.advance(KEY_CACHE_MS / 1000 + 1);
    expect(await elsewhere.open([c])).toEqual([null]);
  });

  it('keeps a key per scope: shredding one scope leaves the person’s other data readable', async () => {
    const dee = vault.subjectOf('dee@example.org');
    const [own] = await vault.seal(dee, ['Dee']);
    const [first] = await vault.seal(dee, ['dee@example.org'], 'invitation-1');
    const [second] = await vault.seal(dee, ['dee@example.org'], 'invitation-2');
    const [firstAgain] = await vault.seal(dee, ['dee@example.org'], 'invitation-1');
    expect(new Set([own, first, second].map((v) => v.split('.')[1])).size).toBe(3);
    expect(firstAgain.split('.')[1]).toBe(first.split('.')[1]);

    expect(await target.db.transaction((tx) => vault.eraseScope(tx, 'invitation-1'))).toBe(1);
    expect(await vault.open([own, first, second])).toEqual(['Dee', null, 'dee@example.org']);
    // Not even another instance that had it at hand opens it past its few seconds.
    expect(
      await new PersonalDataVault(target.db, 'a personal data secret of enough length', clock).open([first]),
    ).toEqual([null]);
    await expect(target.db.transaction((tx) => vault.eraseScope(tx, ''))).rejects.toThrow();

    expect(await vault.erase(dee)).toBe(2);
    expect(await vault.open([own, second])).toEqual([null, null]);
  });

  it('refuses a sealed value that was altered, rather than reading it as erased', async () => {
    const [b] = await vault.seal(bob(), ['bob@example.org']);
    const altered = b.slice(0, -2) + (b.endsWith('A') ? 'B' : 'A') + b.slice(-1);
    await expect(vault.open([altered])).rejects.toThrow();
  });
});
