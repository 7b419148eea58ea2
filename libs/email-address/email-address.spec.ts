import { EmailAddress } from './email-address';

describe('EmailAddress', () => {
  it.each([
    ['  Alice.Smith@Example.ORG ', 'alice.smith@example.org'],
    ["o'brien+tag@mail.example.co.uk", "o'brien+tag@mail.example.co.uk"],
    ['x@xn--bcher-kva.example', 'x@xn--bcher-kva.example'],
    ['a@b-c.d1', 'a@b-c.d1'],
    [`${'l'.repeat(64)}@example.org`, `${'l'.repeat(64)}@example.org`],
  ])('accepts %j as %j', (input, value) => {
    expect(EmailAddress.parse(input).value).toBe(value);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    [42, 'empty'],
    ['no-at.example.org', 'missing_at'],
    ['a@b@example.org', 'missing_at'],
    ['@example.org', 'missing_at'],
    ['alice@', 'missing_at'],
    [`${'l'.repeat(65)}@example.org`, 'local_part_too_long'],
    [`${'a'.repeat(64)}@${'d'.repeat(63)}.${'d'.repeat(63)}.${'d'.repeat(63)}.${'d'.repeat(60)}`, 'too_long'],
    ['.alice@example.org', 'invalid_local_part'],
    ['alice.@example.org', 'invalid_local_part'],
    ['al..ice@example.org', 'invalid_local_part'],
    ['"alice"@example.org', 'invalid_local_part'],
    ['alice(comment)@example.org', 'invalid_local_part'],
    ['al ice@example.org', 'invalid_local_part'],
    ['alice@localhost', 'invalid_domain'],
    ['alice@[127.0.0.1]', 'invalid_domain'],
    ['alice@-example.org', 'invalid_domain'],
    ['alice@example-.org', 'invalid_domain'],
    ['alice@exa_mple.org', 'invalid_domain'],
    ['alice@example..org', 'invalid_domain'],
    ['alice@bücher.example', 'invalid_domain'],
    [`alice@${'d'.repeat(64)}.org`, 'invalid_domain'],
  ])('refuses %j: %s', (input, problem) => {
    expect(EmailAddress.check(input)).toBe(problem);
  });

  it('answers in linear time on hostile input', () => {
    const hostile = `${'a.'.repeat(100_000)}@${'b-'.repeat(100_000)}`;
    expect(typeof EmailAddress.check(hostile)).toBe('string');
  });
});
