import { createPublicKey, type KeyObject, verify } from 'node:crypto';

// DER prefix of an SPKI-wrapped Ed25519 public key (RFC 8410): the raw 32 bytes follow it.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Parses an Ed25519 public key given as base64/base64url of the raw 32 bytes, or as PEM (SPKI). */
export function parseEd25519PublicKey(input: string): KeyObject | null {
  const text = input.trim();
  try {
    if (text.startsWith('-----BEGIN PUBLIC KEY-----')) {
      const key = createPublicKey({ key: text, format: 'pem' });
      return key.asymmetricKeyType === 'ed25519' ? key : null;
    }
    if (!/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(text)) return null;
    const raw = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (raw.length !== 32) return null;
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

/** The canonical stored form: standard base64 of the raw 32-byte key. */
export function ed25519PublicKeyToBase64(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32).toString('base64');
}

export function verifyEd25519(key: KeyObject, message: Buffer, signatureBase64: string): boolean {
  if (!/^[A-Za-z0-9+/_-]{86}={0,2}$/.test(signatureBase64)) return false;
  const signature = Buffer.from(signatureBase64.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (signature.length !== 64) return false;
  try {
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}
