import { AnchorSigner, anchorSignedBy } from './chain-anchor';

describe('a chain anchor', () => {
  const signer = new AnchorSigner('an audit signing secret of enough length');
  const link = { seq: 42, position: '000000000000002a', hash: 'ab'.repeat(32) };
  const anchor = signer.sign(link, new Date('2026-12-02T08:00:00.000Z'));

  it('is the link, when it was signed, and an Ed25519 signature by the key derived from the secret', () => {
    expect(anchor).toEqual({
      ...link,
      signedAt: '2026-12-02T08:00:00.000Z',
      algorithm: 'Ed25519',
      publicKey: signer.publicKey,
      signature: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/),
    });
    expect(Buffer.from(signer.publicKey, 'base64url')).toHaveLength(32);
    expect(new AnchorSigner('an audit signing secret of enough length').publicKey).toBe(signer.publicKey);
    expect(anchorSignedBy(anchor, signer.publicKey)).toBe(true);
  });

  it('is refused when any field was changed, or against another key', () => {
    for (const changed of [{ seq: 43 }, { position: '000000000000002b' }, { hash: 'cd'.repeat(32) }, { signedAt: 'x' }])
      expect(anchorSignedBy({ ...anchor, ...changed }, signer.publicKey)).toBe(false);
    expect(anchorSignedBy(anchor, new AnchorSigner('another secret, also long enough').publicKey)).toBe(false);
    expect(anchorSignedBy(anchor, 'not a key')).toBe(false);
  });
});
