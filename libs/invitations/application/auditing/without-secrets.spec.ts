import { jsonWithoutSecrets, withoutSecrets } from './without-secrets';

describe('secrets left out of what auditors read', () => {
  const cases: object[] = [
    { invitationId: 'i1', email: 'p@example.org', nonce: 'abc_-123' },
    { nonce: 'n', invitationId: 'i1' },
    { invitationId: 'i1', nonce: 'n' },
    { nonce: 'n' },
    { a: 'x', nonce: 'n', token: 't', b: 'y' },
    { a: 'comma, "quoted" and \\ escaped', nonce: 'n' },
    { nested: { nonce: 'n', keep: 1 }, list: [{ secret: 's', ok: true }] },
    { credentialId: null, passwordHash: { algo: 'scrypt' }, name: 'Ann' },
    { email: 'tokenfan@example.org', nonce: 'n' },
    { text: '"nonce":"looks like a pair"', n: 1 },
    { plain: 'nothing secret here', count: 3 },
    {},
  ];

  it.each(cases)('gives the same object from the text as from the parsed data: %j', (data) => {
    for (const json of [JSON.stringify(data), JSON.stringify(data, null, 1).replace(/\n/g, '')]) {
      const out = jsonWithoutSecrets(json);
      expect(JSON.parse(out)).toEqual(withoutSecrets(data as never));
      expect(out).not.toMatch(/"(nonce|token|secret)"\s*:/);
    }
  });

  it('passes a text with nothing secret-looking on as it is', () => {
    const json = '{"email":"p@example.org","count":3}';
    expect(jsonWithoutSecrets(json)).toBe(json);
  });
});
