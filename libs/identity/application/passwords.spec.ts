import { PasswordHasher } from './password-hasher';
import { assertStrongPassword } from './password-policy';

describe('passwords', () => {
  const hasher = new PasswordHasher(10);

  it('hashes with a fresh salt and verifies only the right password', async () => {
    const [a, b] = await Promise.all([hasher.hash('a sturdy passphrase'), hasher.hash('a sturdy passphrase')]);
    expect(a).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await hasher.verify('a sturdy passphrase', a)).toBe(true);
    expect(await hasher.verify('a sturdy passphrasE', a)).toBe(false);
  });

  it('never accepts anything against a missing hash, and still does the work', async () => {
    expect(await hasher.verify('', null)).toBe(false);
    expect(await hasher.verify('anything at all', null)).toBe(false);
  });

  it('verifies hashes made with another cost', async () => {
    const old = await new PasswordHasher(11).hash('kept from before');
    expect(await hasher.verify('kept from before', old)).toBe(true);
  });

  it.each(['short', 'nine char', 'password12', 'PASSWORD12', '1234567890', 'qwertyuiop'])('refuses %j', (password) => {
    expect(() => assertStrongPassword(password)).toThrow(expect.objectContaining({ code: 'weak_password' }));
  });

  it('accepts a long uncommon password, counting characters not bytes', () => {
    expect(() => assertStrongPassword('correct horse battery')).not.toThrow();
    expect(() => assertStrongPassword('ééééééééé')).toThrow(expect.objectContaining({ code: 'weak_password' }));
    expect(() => assertStrongPassword('x'.repeat(257))).toThrow(expect.objectContaining({ code: 'weak_password' }));
  });
});
