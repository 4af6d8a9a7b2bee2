import { createHmac, randomBytes } from 'node:crypto';

/**
 * Audit entries name their subjects by keyed pseudonyms (docs/privacy.md R11): an identifier becomes
 * `~` + HMAC(secret, identifier) under a secret of its own (`audit_subject_key`); an organisation
 * erasure deletes the secrets of every identifier of the organisation (crypto-shredding), so its entries
 * can no longer be linked to it while the chain, which hashed the pseudonymous text, still verifies.
 */

/** `<kind>:<id>` actors and targets whose id names a person or an organisation's record. */
const SUBJECT_KINDS = new Set(['operator', 'member', 'agent', 'organization', 'api_key', 'enrollment_key', 'bouncer_key', 'watcher', 'bouncer']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Detail fields holding an identifier that is not a UUID (a key's visible prefix, an address). */
const IDENTIFIER_FIELDS = new Set(['prefix', 'email', 'account']);
export const PSEUDONYM = /^~[A-Za-z0-9_-]{22}$/;

export function newSubjectSecret(): Buffer {
  return randomBytes(32);
}

export function subjectToken(secret: Buffer, subject: string): string {
  return `~${createHmac('sha256', secret).update(subject).digest('base64url').slice(0, 22)}`;
}

/** The identifier of a `<kind>:<id>` actor or target, when it names a subject. */
function subjectOfRef(ref: string | null): string | null {
  if (!ref) return null;
  const sep = ref.indexOf(':');
  if (sep <= 0) return null;
  return SUBJECT_KINDS.has(ref.slice(0, sep)) && ref.length > sep + 1 ? ref.slice(sep + 1) : null;
}

function detailSubjects(value: unknown, key: string | null, out: Set<string>): void {
  if (typeof value === 'string') {
    if (UUID.test(value) || (key !== null && IDENTIFIER_FIELDS.has(key) && value !== 'unknown')) out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) detailSubjects(v, key, out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) detailSubjects(v, k, out);
  }
}

/** Every identifier an entry names (to look their tokens up before writing it). */
export function entrySubjects(actor: string, target: string | null, details: unknown): string[] {
  const out = new Set<string>();
  for (const ref of [actor, target]) {
    const s = subjectOfRef(ref);
    if (s) out.add(s);
  }
  detailSubjects(details, null, out);
  return [...out];
}

function mapRef(ref: string, tokens: ReadonlyMap<string, string>): string {
  const s = subjectOfRef(ref);
  const token = s ? tokens.get(s) : undefined;
  return s && token ? `${ref.slice(0, ref.indexOf(':'))}:${token}` : ref;
}

function mapDetails(value: unknown, key: string | null, tokens: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return (UUID.test(value) || (key !== null && IDENTIFIER_FIELDS.has(key))) && tokens.has(value) ? tokens.get(value) : value;
  if (Array.isArray(value)) return value.map((v) => mapDetails(v, key, tokens));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, mapDetails(v, k, tokens)]));
  return value;
}

/** The entry as stored: each identifier replaced by its token. */
export function pseudonymiseEntry<T extends { actor: string; target: string | null; details: unknown }>(entry: T, tokens: ReadonlyMap<string, string>): T {
  return { ...entry, actor: mapRef(entry.actor, tokens), target: entry.target === null ? null : mapRef(entry.target, tokens), details: mapDetails(entry.details, null, tokens) };
}

/** Tokens an entry holds (to resolve those of subjects still present, for reading). */
export function entryTokens(entry: { actor: string; target: string | null; details: unknown }): string[] {
  const out = new Set<string>();
  const scan = (v: unknown): void => {
    if (typeof v === 'string') {
      const tail = v.includes(':') ? v.slice(v.indexOf(':') + 1) : v;
      if (PSEUDONYM.test(tail)) out.add(tail);
    } else if (Array.isArray(v)) v.forEach(scan);
    else if (v && typeof v === 'object') Object.values(v as Record<string, unknown>).forEach(scan);
  };
  scan([entry.actor, entry.target, entry.details]);
  return [...out];
}

/** The entry with the tokens of subjects still present replaced by their identifier (erased ones stay tokens). */
export function resolveEntry<T extends { actor: string; target: string | null; details: unknown }>(entry: T, subjects: ReadonlyMap<string, string>): T {
  const swap = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const sep = v.indexOf(':');
      const tail = sep >= 0 ? v.slice(sep + 1) : v;
      const subject = PSEUDONYM.test(tail) ? subjects.get(tail) : undefined;
      return subject === undefined ? v : sep >= 0 ? `${v.slice(0, sep)}:${subject}` : subject;
    }
    if (Array.isArray(v)) return v.map(swap);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, swap(x)]));
    return v;
  };
  return { ...entry, actor: swap(entry.actor) as string, target: swap(entry.target) as string | null, details: swap(entry.details) };
}
