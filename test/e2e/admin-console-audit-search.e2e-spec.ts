import { randomUUID } from 'node:crypto';
import { auditHash, GENESIS_HASH } from '../../src/audit/audit-chain.js';
import { AUDIT_SEARCH_BUDGET } from '../../src/audit/audit.service.js';
import { AuditService } from '../../src/audit/audit.service.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { createOperator, type Operator } from '../support/principals.js';

const FILLERS = Number(AUDIT_SEARCH_BUDGET) + 15_000;

interface Page {
  entries: Array<{ id: string; at: string; actor: string; action: string; target: string | null }>;
  searched: number;
  next_cursor: string | null;
  chain: { ok: boolean; checked: number; broken_at: string | null };
}

/**
 * The console's audit search runs in the database over the whole log (docs/operators.md, "Audit search"):
 * an entry recorded before 215,000 others is found, on the second page, by a part of its operator's and its agent's
 * identifiers (stored as pseudonyms, resolved by the audit domain), pages follow the cursor without
 * overlap, a page stops after 200,000 entries examined and says where to go on, a time range is applied
 * even where times are not in id order, and the chain (kept valid by the filler rows) still verifies.
 */
describe('operator console: audit search over the whole log (API)', () => {
  let t: TestApp;
  let billing: Operator;
  const operatorId = randomUUID();
  const agentId = randomUUID();
  const marker = `marker.${randomUUID().slice(0, 8)}`;
  let oldId = '';
  let newId = '';
  const fillerAt = new Date(Date.now() - 3_600_000);

  const search = async (query: string, who: Operator = billing): Promise<Page> => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/admin/console/audit?${query}`, headers: who.headers });
    expect(`${res.statusCode} ${res.statusCode === 200 ? '' : res.body}`).toBe('200 ');
    return res.json() as Page;
  };

  /** Every page of a search, following the cursor (at most 5 pages). */
  const allPages = async (query: string): Promise<Page[]> => {
    const pages = [await search(query)];
    while (pages[pages.length - 1].next_cursor !== null && pages.length < 5) pages.push(await search(`${query}&before=${pages[pages.length - 1].next_cursor}`));
    return pages;
  };

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.config.database.url;
    const audit = t.app.get(AuditService);
    oldId = (await audit.record(`operator:${operatorId}`, `${marker}.old`, `agent:${agentId}`, { reason: 'first' })).id.toString();
    // 215,000 entries appended after it, each linked to the previous one so the chain stays whole
    const [last] = await sql<{ hash: string }>(db, 'SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
    let prev = last?.hash ?? GENESIS_HASH;
    for (let done = 0; done < FILLERS; done += 20_000) {
      const n = Math.min(20_000, FILLERS - done);
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (let i = 0; i < n; i++) {
        const hash = auditHash(prev, { at: fillerAt, actor: 'rule:filler', action: 'filler.entry', target: null, details: null });
        prevs.push(prev);
        hashes.push(hash);
        prev = hash;
      }
      await sql(db, `INSERT INTO audit_log (at, actor, action, target, prev_hash, hash) SELECT $1, 'rule:filler', 'filler.entry', NULL, p, h FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS x(p, h, o) ORDER BY o`, [fillerAt, prevs, hashes]);
    }
    newId = (await audit.record(`operator:${operatorId}`, `${marker}.new`, `agent:${agentId}`, null)).id.toString();
    billing = await createOperator(t.app, 'billing', null);
  }, 300_000);
  afterAll(async () => t?.close());

  it('finds an entry beyond a quarter of a million newer ones by parts of its identifiers (pseudonyms resolved)', async () => {
    // the first page examines the budget (200,000 entries) and says where to go on; the second reaches the old entry
    const pages = await allPages(`actor=${operatorId.slice(0, 13)}&action=${marker}`);
    expect(pages.map((p) => p.entries.map((e) => e.id))).toEqual([[newId], [oldId]]);
    expect(pages[0].searched).toBe(Number(AUDIT_SEARCH_BUDGET));
    const byActor = pages[0];
    expect(pages[1].entries[0]).toEqual(expect.objectContaining({ actor: `operator:${operatorId}`, target: `agent:${agentId}`, action: `${marker}.old` }));
    expect(pages[1].next_cursor).toBeNull();
    const [stored] = await sql<{ actor: string; target: string }>(t.config.database.url, 'SELECT actor, target FROM audit_log WHERE id = $1', [oldId]);
    expect(stored.actor).not.toContain(operatorId);
    expect(stored.target).not.toContain(agentId);
    const byTarget = await allPages(`target=${agentId.slice(-12).toUpperCase()}&action=${marker}&limit=1`);
    expect(byTarget.map((p) => p.entries.map((e) => e.id))).toEqual([[newId], [oldId]]);
    // a cursor just above an entry includes it
    const full = await search(`action=${marker}&limit=1&before=${BigInt(newId) + 1n}`);
    expect(full.entries.map((e) => e.id)).toEqual([newId]);
    expect(byActor.chain).toEqual(expect.objectContaining({ ok: true, broken_at: null }));
    expect(byActor.chain.checked).toBeGreaterThan(FILLERS);
  });

  it('pages by cursor without overlap, and stops a page after the budget with a cursor to go on', async () => {
    const first = await search('action=filler.entry&limit=500');
    expect(first.entries).toHaveLength(500);
    const second = await search(`action=filler.entry&limit=500&before=${first.next_cursor}`);
    expect(second.entries).toHaveLength(500);
    expect(BigInt(second.entries[0].id)).toBeLessThan(BigInt(first.entries[499].id));
    expect(new Set([...first.entries, ...second.entries].map((e) => e.id)).size).toBe(1000);

    const none = await search('action=nothing.matches.this');
    expect(none.entries).toEqual([]);
    expect(none.searched).toBe(Number(AUDIT_SEARCH_BUDGET));
    expect(none.next_cursor).not.toBeNull();
    const rest = await search(`action=nothing.matches.this&before=${none.next_cursor}`);
    expect(rest.entries).toEqual([]);
    expect(rest.next_cursor).toBeNull();
  });

  it('applies a time range over the whole log even where times are not in id order', async () => {
    const recent = await allPages(`action=${marker}&from=${new Date(Date.now() - 30 * 60_000).toISOString()}`);
    expect(recent.flatMap((p) => p.entries.map((e) => e.id))).toEqual([newId, oldId]);
    expect(recent[recent.length - 1].next_cursor).toBeNull();
    const fillersOnly = await search(`action=${marker}&to=${new Date(fillerAt.getTime() + 1).toISOString()}`);
    expect(fillersOnly.entries).toEqual([]);
    const future = await search(`from=${new Date(Date.now() + 3_600_000).toISOString()}`);
    expect(future.entries).toEqual([]);
    expect(future.next_cursor).toBeNull();
  });

  it('refuses a malformed cursor or time with 400 JSON', async () => {
    for (const q of ['before=abc', 'before=0', 'before=-5', 'from=yesterday', `actor=${'x'.repeat(201)}`]) {
      const res = await t.app.inject({ method: 'GET', url: `/v1/admin/console/audit?${q}`, headers: billing.headers });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String), requestId: expect.any(String) }));
    }
  });
});
