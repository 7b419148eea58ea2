import { addChips, splitAddresses } from './email-chips';

describe('addresses typed or pasted into the invite dialog', () => {
  it('splits on commas, semicolons, spaces and lines, and takes the address out of "Name <address>"', () => {
    expect(splitAddresses('a@example.org, b@example.org;c@example.org\nd@example.org  e@example.org')).toEqual([
      'a@example.org',
      'b@example.org',
      'c@example.org',
      'd@example.org',
      'e@example.org',
    ]);
    expect(splitAddresses('Ada Lovelace <ada@example.org>, "Hopper, Grace" <grace@example.org>')).toEqual([
      'ada@example.org',
      'grace@example.org',
    ]);
  });

  it('checks each address by the API rule, once each as the API compares them', () => {
    const chips = addChips([], ['Ada@Example.org', 'ada@example.org', 'not-an-address', ' b@example.org ']);
    expect(chips).toEqual([
      { value: 'ada@example.org', problem: null },
      { value: 'not-an-address', problem: 'not one @ between a local part and a domain' },
      { value: 'b@example.org', problem: null },
    ]);
    expect(addChips(chips, ['B@example.org'])).toHaveLength(3);
  });

  it('adds 10,000 addresses in one step', () => {
    const chips = addChips(
      [],
      Array.from({ length: 10_000 }, (_, i) => `p${i}@example.org`),
    );
    expect(chips).toHaveLength(10_000);
    expect(chips.every((c) => c.problem === null)).toBe(true);
  });
});
