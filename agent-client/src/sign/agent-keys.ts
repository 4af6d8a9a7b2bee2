import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';

export interface AgentKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** `agent.key` -> `agent.pub`; any other name gets `.pub` appended (as ssh does). */
export function publicKeyPathFor(privateKeyPath: string): string {
  return privateKeyPath.endsWith('.key') ? `${privateKeyPath.slice(0, -4)}.pub` : `${privateKeyPath}.pub`;
}

export function generateAgentKeys(): AgentKeyPair {
  return generateKeyPairSync('ed25519');
}

async function writeSecretFile(path: string, text: string, overwrite: boolean): Promise<void> {
  const fh = await open(path, overwrite ? 'w' : 'wx', 0o600);
  try {
    await fh.chmod(0o600); // the umask can only narrow the mode given to open; chmod makes it exact
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Writes the private key (PKCS#8 PEM) and next to it the public key (SPKI PEM), both mode 0600.
 * Refuses to replace existing files unless `overwrite`.
 */
export async function writeAgentKeys(privateKeyPath: string, keys: AgentKeyPair, overwrite = false): Promise<{ privateKeyPath: string; publicKeyPath: string }> {
  const publicKeyPath = publicKeyPathFor(privateKeyPath);
  await writeSecretFile(privateKeyPath, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), overwrite);
  await writeSecretFile(publicKeyPath, publicKeyPem(keys.publicKey), overwrite);
  return { privateKeyPath, publicKeyPath };
}

export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
}

/** Loads an Ed25519 private key; like ssh, refuses a file that group or others can read. */
export async function loadPrivateKey(path: string, allowLoosePermissions = false): Promise<KeyObject> {
  const st = await stat(path);
  if (!allowLoosePermissions && process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    throw new KeyFileError(`${path}: permissions ${(st.mode & 0o777).toString(8)} are too open; run chmod 600 ${path}`);
  }
  const key = createPrivateKey(await readFile(path));
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyFileError(`${path}: not an Ed25519 private key (${key.asymmetricKeyType})`);
  return key;
}

export async function loadPublicKey(path: string): Promise<KeyObject> {
  const key = createPublicKey(await readFile(path));
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyFileError(`${path}: not an Ed25519 public key (${key.asymmetricKeyType})`);
  return key;
}

export function publicKeyOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}

export function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** The raw 32-byte Ed25519 public key, base64 (standard alphabet, padded). */
export function publicKeyRawBase64(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new KeyFileError('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}
