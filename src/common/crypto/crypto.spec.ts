import { generateKeyPairSync, sign } from 'node:crypto';
import { ed25519PublicKeyToBase64, parseEd25519PublicKey, verifyEd25519 } from './ed25519.js';
import { hashPassword, verifyPassword } from './password.js';
import { pseudonym } from './pseudonym.js';
import { hashToken, issueToken } from './secret-token.js';

describe('ed25519 keys', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = ed25519PublicKeyToBase64(publicKey);

  it('parses raw base64, base64url and PEM forms to the same key', () => {
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const url = raw.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    for (const form of [raw, url, pem]) expect(ed25519PublicKeyToBase64(parseEd25519PublicKey(form)!)).toBe(raw);
  });

  it('rejects garbage, wrong lengths and other key types', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    for (const bad of ['', 'abc', Buffer.alloc(31).toString('base64'), rsa, '-----BEGIN PUBLIC KEY-----\nxx\n-----END PUBLIC KEY-----']) {
      expect(parseEd25519PublicKey(bad)).toBeNull();
    }
  });

  it('verifies signatures and rejects tampered messages or signatures', () => {
    const message = Buffer.from('hello');
    const signature = sign(null, message, privateKey).toString('base64');
    expect(verifyEd25519(publicKey, message, signature)).toBe(true);
    expect(verifyEd25519(publicKey, Buffer.from('hellO'), signature)).toBe(false);
    expect(verifyEd25519(publicKey, message, signature.replace(/^./, signature[0] === 'A' ? 'B' : 'A'))).toBe(false);
    expect(verifyEd25519(publicKey, message, 'not-base64!')).toBe(false);
  });
});

describe('passwords', () => {
  it('hashes with a salt and verifies', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('wrong', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('tokens and pseudonyms', () => {
  it('issues prefixed tokens whose hash alone is stored', () => {
    const t = issueToken('qek');
    expect(t.token.startsWith(`${t.prefix}_`)).toBe(true);
    expect(t.hash).toBe(hashToken(t.token));
    expect(t.hash).not.toContain(t.token);
  });

  it('derives stable pseudonyms that depend on the key', () => {
    expect(pseudonym('k1', 'agent')).toBe(pseudonym('k1', 'agent'));
    expect(pseudonym('k1', 'agent')).not.toBe(pseudonym('k2', 'agent'));
    expect(pseudonym('k1', 'agent')).toMatch(/^[0-9a-f]{32}$/);
  });
});
