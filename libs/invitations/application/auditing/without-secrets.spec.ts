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
    { nonce: 'n', token: 't', a: 1 },
    { a: 'ends in a slash \\', nonce: 'with \\" inside', tokenCount: 12, resetToken: null, b: [true, 'x, '] },
    { list: ['a, ', 'token'], hash: false, deep: { deeper: [{ Credential: -1.5e3 }] } },
    { secret: { whole: 'object' }, secrets: ['a', 'list'], kept: 'yes' },
    { 'é "quoted" key': 'ünïcode', nonce: 'ünïcode 🙂' },
    {},
  ];

  it.each(cases)('gives the same object from the text as from the parsed data: %j', (data) => {
    for (const json of [JSON.stringify(data), JSON.stringify(data, null, 1).replace(/\n/g, '')]) {
      const out = jsonWithoutSecrets(json);
      expect(JSON.parse(out)).toEqual(withoutSecrets(data as never));
      expect(out).not.toMatch(/"(nonce|token|secret)"\s*:/);
    }
  });

  it('gives the same object as the parsed data for many generated events', () => {
    const words = ['nonce', 'Token', 'id', 'email', 'passwordHash', 'name', 'secretRef', 'x'];
    const texts = ['', 'plain', 'a, "b"', 'ends \\', '{"nonce":"x"}', ', "token": 1', 'ü'];
    let seed = 7;
    const pick = <T>(list: T[]): T => list[(seed = (seed * 48271) % 2147483647) % list.length];
    const value = (depth: number): unknown => {
      const kind = pick([0, 1, 2, 3, 4, 5]);
      if (kind === 0 && depth < 3)
        return Object.fromEntries(words.filter(() => pick([0, 1])).map((w) => [w, value(depth + 1)]));
      if (kind === 1 && depth < 3) return [value(depth + 1), value(depth + 1)];
      return pick<unknown>([pick(texts), 42, -0.5, true, null, pick(words)]);
    };
    for (let n = 0; n < 2000; n++) {
      const data = Object.fromEntries(words.filter(() => pick([0, 1])).map((w) => [w, value(1)]));
      expect(JSON.parse(jsonWithoutSecrets(JSON.stringify(data)))).toEqual(withoutSecrets(data as never));
    }
  });

  it('passes a text with nothing secret-looking on as it is', () => {
    const json = '{"email":"p@example.org","count":3}';
    expect(jsonWithoutSecrets(json)).toBe(json);
  });
});
