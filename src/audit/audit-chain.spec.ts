import { auditHash, canonicalJson, GENESIS_HASH, type StoredAuditEntry, verifyChain } from './audit-chain.js';

function chain(n: number): StoredAuditEntry[] {
  const out: StoredAuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const content = { at: new Date(Date.UTC(2026, 0, i)), actor: 'operator:1', action: `a${i}`, target: null, details: { i, nested: { b: 1, a: 2 } } };
    const hash = auditHash(prev, content);
    out.push({ id: BigInt(i), ...content, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('audit hash chain', () => {
  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe(canonicalJson({ a: [{ c: 2, d: 1 }], b: 1 }));
  });

  it('verifies an intact chain', () => {
    expect(verifyChain(chain(5), GENESIS_HASH)).toBeNull();
  });

  it('finds an edited entry', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2], details: { i: 99 } };
    expect(verifyChain(entries, GENESIS_HASH)).toBe(3n);
  });

  it('finds a deleted entry', () => {
    const entries = chain(5);
    entries.splice(1, 1);
    expect(verifyChain(entries, GENESIS_HASH)).toBe(3n);
  });

  it('finds a re-hashed forgery (the next link breaks)', () => {
    const entries = chain(4);
    const forged = { ...entries[1], action: 'forged' };
    forged.hash = auditHash(forged.prevHash, forged);
    entries[1] = forged;
    expect(verifyChain(entries, GENESIS_HASH)).toBe(3n);
  });
});
