import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

/** File layout: MAGIC (4 bytes) | IV (12) | AES-256-GCM ciphertext | tag (16). */
export const MAGIC = Buffer.from('QBK1');
const IV_BYTES = 12;
export const HEADER_BYTES = MAGIC.length + IV_BYTES;
export const TAG_BYTES = 16;

/**
 * The backup key is derived from the pseudonym secret (HKDF, its own label): a backup is useless
 * without that secret anyway, since the erasure ledger replayed after a restore is keyed by it.
 */
export function backupKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'quorum-backup', 'aes-256-gcm backup encryption', 32));
}

/** Encrypts a stream; yields header, ciphertext and tag, in file order. */
export async function* encryptStream(key: Buffer, source: Readable): AsyncGenerator<Buffer> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  yield Buffer.concat([MAGIC, iv]);
  for await (const chunk of source) {
    const out = cipher.update(chunk as Buffer);
    if (out.length > 0) yield out;
  }
  const last = cipher.final();
  if (last.length > 0) yield last;
  yield cipher.getAuthTag();
}

/**
 * Decrypts the ciphertext part of a backup (`body` is the bytes between header and tag). The tag is
 * checked at the end: callers verify a file completely before feeding it to pg_restore.
 */
export async function* decryptStream(key: Buffer, header: Buffer, tag: Buffer, body: Readable): AsyncGenerator<Buffer> {
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a Quorum backup (bad magic)');
  const decipher = createDecipheriv('aes-256-gcm', key, header.subarray(MAGIC.length, HEADER_BYTES));
  decipher.setAuthTag(tag);
  for await (const chunk of body) {
    const out = decipher.update(chunk as Buffer);
    if (out.length > 0) yield out;
  }
  const last = decipher.final();
  if (last.length > 0) yield last;
}
