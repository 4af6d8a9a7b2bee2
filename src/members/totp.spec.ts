import { base32Decode, base32Encode, hotp, matchTotp, totpCode } from './totp.js';

// RFC 6238 appendix B (SHA-1, secret "12345678901234567890"), truncated to 6 digits, and RFC 4226 appendix D.
const SECRET = Buffer.from('12345678901234567890');

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 4226 HOTP vectors', () => {
    expect([0n, 1n, 2n, 9n].map((c) => hotp(SECRET, c))).toEqual(['755224', '287082', '359152', '520489']);
  });

  it('matches the RFC 6238 SHA-1 vectors (last 6 digits)', () => {
    const secret = base32Encode(SECRET);
    expect(totpCode(secret, 59_000)).toBe('287082');
    expect(totpCode(secret, 1_111_111_109_000)).toBe('081804');
    expect(totpCode(secret, 1_234_567_890_000)).toBe('005924');
    expect(totpCode(secret, 20_000_000_000_000)).toBe('353130');
  });

  it('round-trips base32 and accepts a code once, within one step of drift', () => {
    expect(base32Decode(base32Encode(SECRET)).equals(SECRET)).toBe(true);
    const secret = base32Encode(SECRET);
    const at = 1_234_567_890_000;
    const code = totpCode(secret, at);
    const step = matchTotp(secret, code, at + 30_000, null);
    expect(step).not.toBeNull();
    expect(matchTotp(secret, code, at, step)).toBeNull();
    expect(matchTotp(secret, code, at + 90_000, null)).toBeNull();
    expect(matchTotp(secret, 'abcdef', at, null)).toBeNull();
  });
});
