import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

/** DER prefix of a PKCS#8 Ed25519 private key, followed by the 32-byte seed. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The Ed25519 key the service signs mirror frames with. From configuration
 * (`QUORUM_MIRROR_SIGNING_KEY`: a PKCS#8 PEM, or the base64 of the 32-byte seed), or generated for the
 * process when none is configured (embedded and development use: agents pinning it must pin again
 * after a restart). Production without a configured key serves no mirror (docs/lookup.md "Local mirror").
 */
export class MirrorSigner {
  /** raw 32-byte public key, base64 */
  readonly publicKey: string;
  /** first 16 hex digits of the SHA-256 of the raw public key */
  readonly keyId: string;
  readonly generated: boolean;

  private constructor(
    private readonly key: KeyObject,
    generated: boolean,
  ) {
    const raw = Buffer.from((createPublicKey(key).export({ format: 'jwk' }) as { x: string }).x, 'base64url');
    this.publicKey = raw.toString('base64');
    this.keyId = createHash('sha256').update(raw).digest('hex').slice(0, 16);
    this.generated = generated;
  }

  static generate(): MirrorSigner {
    return new MirrorSigner(generateKeyPairSync('ed25519').privateKey, true);
  }

  /** From a PKCS#8 PEM or the base64 of a 32-byte seed; throws on anything else. */
  static fromConfig(text: string): MirrorSigner {
    const trimmed = text.trim();
    let key: KeyObject;
    if (trimmed.startsWith('-----BEGIN')) key = createPrivateKey(trimmed);
    else {
      const seed = Buffer.from(trimmed, 'base64');
      if (seed.length !== 32) throw new Error('QUORUM_MIRROR_SIGNING_KEY: expected a PKCS#8 PEM or the base64 of a 32-byte Ed25519 seed');
      key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('QUORUM_MIRROR_SIGNING_KEY: not an Ed25519 key');
    return new MirrorSigner(key, false);
  }

  readonly sign = (data: Buffer): Buffer => sign(null, data, this.key);
}
