import { entrySubjects, entryTokens, pseudonymiseEntry, resolveEntry, subjectToken } from './audit-pseudonyms.js';

const ORG = '2f1d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b';
const KEY = '7e8f9a0b-1c2d-4e3f-8a5b-6c7d8e9f0a1b';

describe('audit pseudonyms', () => {
  const entry = { actor: `member:${KEY}`, target: `organization:${ORG}`, details: { organizationId: ORG, prefix: 'qk_live_ab12', scopes: ['lookup'], nested: [{ from: ORG }], count: 3 } };
  const secret = Buffer.alloc(32, 7);
  const tokens = new Map(entrySubjects(entry.actor, entry.target, entry.details).map((s) => [s, subjectToken(secret, s)]));

  it('finds every identifier: actor and target ids, UUIDs anywhere in the details, key prefixes', () => {
    expect(entrySubjects(entry.actor, entry.target, entry.details).sort()).toEqual([KEY, ORG, 'qk_live_ab12'].sort());
    expect(entrySubjects('system', 'privacy:abc', { subject: 'hash', account: 'unknown' })).toEqual([]);
  });

  it('stores no identifier, and resolves only the subjects whose key still exists', () => {
    const stored = pseudonymiseEntry(entry, tokens);
    const text = JSON.stringify(stored);
    for (const id of [ORG, KEY, 'qk_live_ab12']) expect(text).not.toContain(id);
    expect(stored.actor).toMatch(/^member:~[A-Za-z0-9_-]{22}$/);
    expect(stored.details).toEqual(expect.objectContaining({ scopes: ['lookup'], count: 3 }));
    expect(entryTokens(stored).sort()).toEqual([...tokens.values()].sort());
    const live = new Map([...tokens].filter(([s]) => s !== ORG).map(([s, t]) => [t, s]));
    const read = resolveEntry(stored, live);
    expect(read.actor).toBe(`member:${KEY}`);
    expect(read.target).toBe(`organization:${tokens.get(ORG)}`);
    expect(JSON.stringify(read)).toContain('qk_live_ab12');
    expect(JSON.stringify(read)).not.toContain(ORG);
  });

  it('a token depends on the subject key: another secret gives another token', () => {
    expect(subjectToken(secret, ORG)).not.toBe(subjectToken(Buffer.alloc(32, 8), ORG));
  });
});
