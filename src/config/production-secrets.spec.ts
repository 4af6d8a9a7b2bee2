import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config.js';
import { DEVELOPMENT_SECRET } from './env.schema.js';
import { estimateEntropyBits, MIN_SECRET_ENTROPY_BITS } from './secret-strength.js';

const root = join(__dirname, '..', '..');
const SECRETS = ['QUORUM_JWT_SECRET', 'QUORUM_PSEUDONYM_SECRET'] as const;

function strong(): Record<string, string> {
  return { QUORUM_JWT_SECRET: randomBytes(32).toString('hex'), QUORUM_PSEUDONYM_SECRET: randomBytes(32).toString('base64') };
}

function productionProblems(overrides: Record<string, string>): string[] {
  try {
    loadConfig({ NODE_ENV: 'production', ...strong(), ...overrides });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

/** Secret values shipped in .env.example (commented out or not). */
function exampleSecrets(): Array<[string, string]> {
  const text = readFileSync(join(root, '.env.example'), 'utf8');
  const out: Array<[string, string]> = [];
  for (const match of text.matchAll(/^#? ?(QUORUM_[A-Z_]*SECRET)=(.+)$/gm)) out.push([match[1], match[2].trim()]);
  return out;
}

describe('production secrets', () => {
  it('boots with random secrets of 32 bytes (hex and base64, as `openssl rand` prints them)', () => {
    for (let i = 0; i < 200; i++) {
      expect(productionProblems({ QUORUM_JWT_SECRET: randomBytes(32).toString('hex') })).toEqual([]);
      expect(productionProblems({ QUORUM_PSEUDONYM_SECRET: randomBytes(32).toString('base64url') })).toEqual([]);
    }
  });

  it('refuses every secret value of .env.example', () => {
    const values = exampleSecrets();
    expect(values.map(([name]) => name).sort()).toEqual([...SECRETS].sort());
    for (const [, value] of values) {
      for (const name of SECRETS) expect(productionProblems({ [name]: value }).join('\n')).toContain(name);
    }
  });

  it.each([
    ['the development secret', DEVELOPMENT_SECRET],
    ['the development secret plus a space', `${DEVELOPMENT_SECRET} `],
    ['the development secret with inner whitespace', DEVELOPMENT_SECRET.replace(/-/g, '- ')],
    ['the development secret in upper case', DEVELOPMENT_SECRET.toUpperCase()],
    ['the development secret with a suffix', `${DEVELOPMENT_SECRET}-2026`],
    ['a .env.example placeholder with a tab', 'change-me-to-a-long-random-secret-of-32-chars-or-more\t'],
    ['32 × a', 'a'.repeat(32)],
    ['100 × a', 'a'.repeat(100)],
    ['two characters alternating', 'ab'.repeat(40)],
    ['a repeated random chunk', randomBytes(8).toString('hex').repeat(8)],
    ['32 random alphanumerics (190 bits)', randomBytes(24).toString('base64').replace(/[+/=]/g, 'x').slice(0, 32)],
    ['32 random hex digits (128 bits)', randomBytes(16).toString('hex')],
    ['42 random base64 characters (252 bits)', randomBytes(32).toString('base64url').slice(0, 42)],
  ])('refuses %s', (_what, value) => {
    for (const name of SECRETS) expect(productionProblems({ [name]: value }).join('\n')).toContain(name);
  });

  it('refuses the same secret for tokens and pseudonyms', () => {
    const shared = randomBytes(32).toString('hex');
    expect(productionProblems({ QUORUM_JWT_SECRET: shared, QUORUM_PSEUDONYM_SECRET: ` ${shared.toUpperCase()}` }).join('\n')).toContain('must differ');
  });

  it('refuses a Stripe API reached over plain http unless it is a loopback fake', () => {
    expect(productionProblems({ STRIPE_API_PROTOCOL: 'http', STRIPE_API_HOST: 'stripe.example.net' }).join('\n')).toContain('STRIPE_API_PROTOCOL');
    expect(productionProblems({ STRIPE_API_PROTOCOL: 'http', STRIPE_API_HOST: '127.0.0.1' })).toEqual([]);
  });

  it('keeps development and test permissive', () => {
    expect(() => loadConfig({ NODE_ENV: 'development' })).not.toThrow();
    expect(() => loadConfig({ NODE_ENV: 'test', QUORUM_JWT_SECRET: 'a'.repeat(32) })).not.toThrow();
  });

  it('estimates entropy conservatively', () => {
    expect(estimateEntropyBits('a'.repeat(32))).toBe(0);
    expect(estimateEntropyBits(randomBytes(32).toString('hex'))).toBeGreaterThanOrEqual(MIN_SECRET_ENTROPY_BITS);
    expect(estimateEntropyBits(randomBytes(31).toString('hex'))).toBeLessThan(MIN_SECRET_ENTROPY_BITS);
  });
});
