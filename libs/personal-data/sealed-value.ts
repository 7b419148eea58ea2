import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** How a sealed value starts: `pd1.<keyId>.<iv>.<ciphertext and tag>`, base64url parts. */
const PREFIX = 'pd1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

/** The key a sealed value was sealed under. */
export function keyIdOf(sealed: string): string {
  return sealed.split('.')[1];
}

/** Random bytes drawn a block at a time: one call per value costs more than the encryption. */
const entropy = { block: Buffer.alloc(0), used: 0 };
function random(bytes: number): Buffer {
  if (entropy.used + bytes > entropy.block.length) {
    entropy.block = randomBytes(64 * 1024);
    entropy.used = 0;
  }
  // A copy: nothing else ever reads these bytes.
  return Buffer.from(entropy.block.subarray(entropy.used, (entropy.used += bytes)));
}

/** A new 256-bit key. */
export function newKey(): Buffer {
  return random(32);
}

/** AES-256-GCM under `key`, the key's id bound in as additional data, a fresh 96-bit IV each time. */
export function sealWith(keyId: string, key: Buffer, plaintext: string): string {
  const iv = random(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(keyId));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${keyId}.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

/** The plaintext; throws when the value was altered (GCM's tag does not match). */
export function openWith(key: Buffer, sealed: string): string {
  const [, keyId, iv, body] = sealed.split('.');
  const bytes = Buffer.from(body, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(keyId));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString(
    'utf8',
  );
}
