import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Position } from '@app/event-store';

/** DER prefixes that make a raw 32-byte Ed25519 seed or public key a PKCS#8 or SPKI key. */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * The chain's head as the service vouches for it: an auditor keeps anchors outside the system and
 * later checks that the chain still holds each one (`npm run audit:verify -- --anchor file`).
 */
export interface ChainAnchor {
  seq: number;
  position: Position;
  hash: string;
  signedAt: string;
  algorithm: 'Ed25519';
  /** The raw 32-byte public key, base64url: compare it with the one published out of band. */
  publicKey: string;
  /** Ed25519 over anchorMessage(...), base64url. */
  signature: string;
}

/** The bytes signed: a fixed label and each field on its own line. */
export function anchorMessage(anchor: Pick<ChainAnchor, 'seq' | 'position' | 'hash' | 'signedAt'>): Buffer {
  return Buffer.from(
    `patient-invitations chain anchor v1\n${anchor.seq}\n${anchor.position}\n${anchor.hash}\n${anchor.signedAt}`,
  );
}

/** The service's signing key pair, derived from AUDIT_SIGNING_KEY (its SHA-256 is the Ed25519 seed). */
export class AnchorSigner {
  private readonly privateKey: KeyObject;
  readonly publicKey: string;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('The audit signing secret must be at least 32 characters');
    const seed = createHash('sha256').update(secret).digest();
    this.privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
    const spki = createPublicKey(this.privateKey).export({ format: 'der', type: 'spki' });
    this.publicKey = spki.subarray(SPKI_ED25519.length).toString('base64url');
  }

  sign(link: { seq: number; position: Position; hash: string }, signedAt: Date): ChainAnchor {
    const unsigned = { seq: link.seq, position: link.position, hash: link.hash, signedAt: signedAt.toISOString() };
    const signature = sign(null, anchorMessage(unsigned), this.privateKey).toString('base64url');
    return { ...unsigned, algorithm: 'Ed25519', publicKey: this.publicKey, signature };
  }
}

/** True when the anchor was signed by the holder of this public key (raw 32 bytes, base64url). */
export function anchorSignedBy(anchor: ChainAnchor, publicKey: string): boolean {
  try {
    const key = createPublicKey({
      key: Buffer.concat([SPKI_ED25519, Buffer.from(publicKey, 'base64url')]),
      format: 'der',
      type: 'spki',
    });
    return verify(null, anchorMessage(anchor), key, Buffer.from(anchor.signature, 'base64url'));
  } catch {
    return false;
  }
}
