import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { signBatch, verifyBatch } from './batch-signature.js';
import { generateAgentKeys, KeyFileError, loadPrivateKey, loadPublicKey, publicKeyOf, publicKeyPem, publicKeyRawBase64, writeAgentKeys } from './agent-keys.js';

describe('agent keys', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quorum-keys-'));
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes both files with mode 0600 and loads them back', async () => {
    const keys = generateAgentKeys();
    const { privateKeyPath, publicKeyPath } = await writeAgentKeys(join(dir, 'agent.key'), keys);
    expect(publicKeyPath).toBe(join(dir, 'agent.pub'));
    expect((await stat(privateKeyPath)).mode & 0o777).toBe(0o600);
    expect((await stat(publicKeyPath)).mode & 0o777).toBe(0o600);
    const priv = await loadPrivateKey(privateKeyPath);
    const pub = await loadPublicKey(publicKeyPath);
    const body = Buffer.from('{}');
    expect(verifyBatch('a', pub, body, signBatch('a', priv, body, Date.now()))).toBe(true);
    expect(publicKeyPem(publicKeyOf(priv))).toBe(publicKeyPem(keys.publicKey));
  });

  it('refuses to overwrite existing keys unless asked', async () => {
    await writeAgentKeys(join(dir, 'agent.key'), generateAgentKeys());
    await expect(writeAgentKeys(join(dir, 'agent.key'), generateAgentKeys())).rejects.toThrow(/EEXIST/);
    await expect(writeAgentKeys(join(dir, 'agent.key'), generateAgentKeys(), true)).resolves.toBeDefined();
  });

  it('refuses a private key readable by others', async () => {
    const { privateKeyPath } = await writeAgentKeys(join(dir, 'agent.key'), generateAgentKeys());
    await chmod(privateKeyPath, 0o644);
    await expect(loadPrivateKey(privateKeyPath)).rejects.toThrow(KeyFileError);
    await expect(loadPrivateKey(privateKeyPath, true)).resolves.toBeDefined();
  });

  it('exports the raw 32-byte public key', () => {
    expect(Buffer.from(publicKeyRawBase64(generateAgentKeys().publicKey), 'base64')).toHaveLength(32);
  });
});
