/**
 * Production secret checks (docs/security.md, "Secrets, hostile input and logs"). A secret is refused
 * when it is, or contains, a value that ships with the repository (development default, `.env.example`
 * placeholders) after whitespace and case are ignored, or when its estimated entropy is below 32 bytes.
 */
export const MIN_SECRET_ENTROPY_BITS = 256;

/**
 * Values anyone can read in this repository. `.env.example`'s placeholders are listed here rather than
 * read at boot (the production image does not ship the file); src/config/production-secrets.spec.ts
 * fails when `.env.example` gains a secret value that is not refused.
 */
export const PUBLISHED_SECRET_VALUES: readonly string[] = [
  'quorum-development-secret-do-not-use-in-production',
  'change-me-to-a-long-random-secret-of-32-chars-or-more',
  'change-me-to-another-long-random-secret-32-chars',
];

/** Lower case, no whitespace: `Quorum-Development-Secret ...  ` and the original compare equal. */
export function normalizeSecret(value: string): string {
  return value.replace(/\s+/gu, '').toLowerCase();
}

/** Size of the alphabet the text seems drawn from: hex, base64 (either flavour), or character classes. */
function alphabetSize(value: string): number {
  if (/^[0-9a-f]+$/.test(value) || /^[0-9A-F]+$/.test(value)) return 16;
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value) || /^[A-Za-z0-9_-]+$/.test(value)) return 64;
  let size = 0;
  if (/[a-z]/.test(value)) size += 26;
  if (/[A-Z]/.test(value)) size += 26;
  if (/[0-9]/.test(value)) size += 10;
  if (/[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/.test(value)) size += 33;
  if (/[^\x20-\x7e]/u.test(value)) size += 128;
  return size;
}

/** Shortest period p such that the text is its first p characters repeated (`abcabcab` -> 3). */
function period(chars: readonly string[]): number {
  for (let p = 1; p <= chars.length / 2; p++) {
    let repeats = true;
    for (let i = p; i < chars.length && repeats; i++) repeats = chars[i] === chars[i - p];
    if (repeats) return p;
  }
  return chars.length;
}

function shannonBitsPerChar(chars: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / chars.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A conservative estimate of the entropy of a secret, in bits. Random output of `openssl rand -hex 32`
 * (64 hex digits) or `-base64 32` (44 characters) reaches 256 bits; 32 × `a`, a repeated chunk or a
 * short string do not. It knows no dictionary: a long English sentence passes it (generate secrets,
 * do not write them). The estimate is the length of the non-repeating part times the bits per
 * character of the alphabet the text draws from, scaled down when the characters are far less evenly
 * spread than random draws from that alphabet would be (a random string of n characters from an
 * alphabet of k shows close to log2(min(n, k)) bits per character).
 */
export function estimateEntropyBits(value: string): number {
  const all = [...value];
  if (all.length === 0) return 0;
  const chars = all.slice(0, period(all));
  const perChar = Math.log2(alphabetSize(value));
  const expected = Math.min(perChar, Math.log2(Math.max(chars.length, 2)));
  const evenness = Math.min(1, shannonBitsPerChar(chars) / (0.75 * expected));
  return chars.length * perChar * evenness;
}

/** Why a production secret is refused, or null when it is acceptable. */
export function secretProblem(value: string, knownValues: readonly string[] = PUBLISHED_SECRET_VALUES): string | null {
  const normalized = normalizeSecret(value);
  if (knownValues.some((known) => normalized.includes(normalizeSecret(known)))) {
    return 'is a value published with Quorum (development default or .env.example placeholder); generate one with `openssl rand -hex 32`';
  }
  const bits = estimateEntropyBits(value);
  if (bits < MIN_SECRET_ENTROPY_BITS) {
    return `has about ${Math.floor(bits)} bits of entropy, ${MIN_SECRET_ENTROPY_BITS} (32 random bytes) are required; generate one with \`openssl rand -hex 32\``;
  }
  return null;
}
