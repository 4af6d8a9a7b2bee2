import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';
import { NFT_ELEMENTS_PER_STATEMENT, NFT_MAX_TIMEOUT_SECONDS, renderNftables } from './nftables.js';
import { BlocklistRenderError, type BlocklistEntry, type RenderContext } from './types.js';

interface NftElement {
  value: string;
  timeout: number;
}

interface NftFile {
  table: string;
  sets: Map<string, 'ipv4_addr' | 'ipv6_addr'>;
  chains: string[];
  rules: string[];
  elements: Map<string, NftElement[]>;
  statementSizes: number[];
}

const ID = '[A-Za-z][A-Za-z0-9_]*';
const ADDRESS = '[0-9A-Fa-f:.]+(?:/[0-9]{1,3})?';

/**
 * Strict reader of the exact subset of the nft grammar the renderer promises: declarations first
 * (table, sets with `flags interval, timeout`, hooked chains), then chain flushes and rules, set
 * flushes, and `add element` blocks. Beyond syntax it checks what `nft -f` would refuse or what
 * would break atomic reloads: undeclared names, an element of the wrong family, an element
 * added to a set before that set is flushed, a timeout nft cannot take, overlapping intervals.
 */
function parseNft(text: string): NftFile {
  if (!text.endsWith('\n')) throw new Error('file must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  let i = 0;
  const line = (): string => lines[i] ?? '<eof>';
  const expect = (re: RegExp): RegExpExecArray => {
    const m = re.exec(line());
    if (!m) throw new Error(`line ${i + 1}: ${JSON.stringify(line())} does not match ${re}`);
    i++;
    return m;
  };
  expect(/^#!\/usr\/sbin\/nft -f$/);
  while (line().startsWith('# ')) i++;
  const table = expect(new RegExp(`^table inet (${ID}) \\{$`))[1];
  const sets = new Map<string, 'ipv4_addr' | 'ipv6_addr'>();
  const chains: string[] = [];
  while (line().startsWith('\tset ')) {
    const name = expect(new RegExp(`^\\tset (${ID}) \\{$`))[1];
    const type = expect(/^\t\ttype (ipv4_addr|ipv6_addr)$/)[1] as 'ipv4_addr' | 'ipv6_addr';
    expect(/^\t\tflags interval, timeout$/);
    expect(/^\t\}$/);
    if (sets.has(name)) throw new Error(`set ${name} declared twice`);
    sets.set(name, type);
  }
  while (line().startsWith('\tchain ')) {
    const hook = expect(/^\tchain (input|forward) \{$/)[1];
    expect(new RegExp(`^\\t\\ttype filter hook ${hook} priority filter - 10; policy accept;$`));
    expect(/^\t\}$/);
    chains.push(hook);
  }
  expect(/^\}$/);

  const flushedChains = new Set<string>();
  const flushedSets = new Set<string>();
  const rules: string[] = [];
  const elements = new Map<string, NftElement[]>();
  const statementSizes: number[] = [];
  const declaredSet = (name: string): 'ipv4_addr' | 'ipv6_addr' => {
    const type = sets.get(name);
    if (!type) throw new Error(`line ${i}: undeclared set ${name}`);
    return type;
  };
  const sameTable = (name: string): void => {
    if (name !== table) throw new Error(`line ${i}: unknown table ${name}`);
  };
  while (i < lines.length) {
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^flush chain inet (${ID}) (input|forward)$`).exec(line()))) {
      i++;
      sameTable(m[1]);
      if (!chains.includes(m[2])) throw new Error(`undeclared chain ${m[2]}`);
      flushedChains.add(m[2]);
    } else if ((m = new RegExp(`^add rule inet (${ID}) (input|forward) (ip|ip6) saddr @(${ID}) counter drop$`).exec(line()))) {
      i++;
      sameTable(m[1]);
      if (!flushedChains.has(m[2])) throw new Error(`rule added to ${m[2]} before it was flushed`);
      if (declaredSet(m[4]) !== (m[3] === 'ip' ? 'ipv4_addr' : 'ipv6_addr')) throw new Error(`${m[3]} rule on ${m[4]}`);
      rules.push(`${m[2]} ${m[3]} ${m[4]}`);
    } else if ((m = new RegExp(`^flush set inet (${ID}) (${ID})$`).exec(line()))) {
      i++;
      sameTable(m[1]);
      declaredSet(m[2]);
      if (elements.has(m[2])) throw new Error(`set ${m[2]} flushed after elements were added`);
      flushedSets.add(m[2]);
    } else if ((m = new RegExp(`^add element inet (${ID}) (${ID}) \\{$`).exec(line()))) {
      i++;
      sameTable(m[1]);
      const type = declaredSet(m[2]);
      if (!flushedSets.has(m[2])) throw new Error(`elements added to ${m[2]} before it was flushed`);
      const list = elements.get(m[2]) ?? [];
      elements.set(m[2], list);
      let count = 0;
      for (;;) {
        const e = expect(new RegExp(`^\\t(${ADDRESS}) timeout ([1-9][0-9]*)s(,?)$`));
        const family = isIP(e[1].split('/')[0]);
        if (family !== (type === 'ipv4_addr' ? 4 : 6)) throw new Error(`${e[1]} in a ${type} set`);
        if (e[1].includes('/') && !ipaddr.isValidCIDR(e[1])) throw new Error(`bad prefix ${e[1]}`);
        const timeout = Number(e[2]);
        if (timeout > NFT_MAX_TIMEOUT_SECONDS) throw new Error(`timeout ${timeout}s too large for nft`);
        list.push({ value: e[1], timeout });
        count++;
        if (e[3] === '') break;
      }
      expect(/^\}$/);
      statementSizes.push(count);
    } else {
      throw new Error(`line ${i + 1}: unexpected ${JSON.stringify(line())}`);
    }
  }
  for (const [name, type] of sets) assertNoOverlap(elements.get(name) ?? [], type === 'ipv4_addr' ? 32 : 128);
  return { table, sets, chains, rules, elements, statementSizes };
}

/** Independent overlap check on bigint intervals (nft refuses overlapping interval elements). */
function assertNoOverlap(list: readonly NftElement[], bits: number): void {
  const intervals = list.map(({ value }) => {
    const [addr, prefix] = value.includes('/') ? ipaddr.parseCIDR(value) : [ipaddr.parse(value), bits];
    const start = addr.toByteArray().reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n) >> BigInt(bits - prefix);
    return { value, start: start << BigInt(bits - prefix), end: ((start + 1n) << BigInt(bits - prefix)) - 1n };
  });
  intervals.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  for (let k = 1; k < intervals.length; k++) {
    if (intervals[k].start <= intervals[k - 1].end) {
      throw new Error(`overlapping elements ${intervals[k - 1].value} and ${intervals[k].value}`);
    }
  }
}

const now = new Date('2026-11-25T17:00:00.000Z');
const ctx: RenderContext = { version: 7, generatedAt: now, now };
const after = (seconds: number): Date => new Date(now.getTime() + seconds * 1000);
const entry = (value: string, seconds: number): BlocklistEntry => ({
  value,
  scope: value.includes('/') ? 'range' : 'ip',
  scenarioClass: 'ssh-bruteforce',
  score: 1,
  until: after(seconds),
});
const render = (list: BlocklistEntry[], extra: Partial<RenderContext> = {}): NftFile =>
  parseNft(renderNftables(list, { ...ctx, ...extra }).toString('utf8'));

describe('renderNftables', () => {
  it('declares the table, both sets and an input drop chain, then refills the sets', () => {
    const file = render([entry('192.0.2.1', 3600.9), entry('2001:db8:1:2::/64', 86_400), entry('198.51.100.0/24', 0.5)]);
    expect(file.table).toBe('quorum');
    expect([...file.sets]).toEqual([
      ['quorum_v4', 'ipv4_addr'],
      ['quorum_v6', 'ipv6_addr'],
    ]);
    expect(file.chains).toEqual(['input']);
    expect(file.rules).toEqual(['input ip quorum_v4', 'input ip6 quorum_v6']);
    expect(file.elements.get('quorum_v4')).toEqual([
      { value: '192.0.2.1', timeout: 3600 },
      { value: '198.51.100.0/24', timeout: 1 },
    ]);
    expect(file.elements.get('quorum_v6')).toEqual([{ value: '2001:db8:1:2::/64', timeout: 86_400 }]);
  });

  it('is still a valid file that empties the sets when the list is empty', () => {
    const text = renderNftables([], ctx).toString('utf8');
    const file = parseNft(text);
    expect(file.elements.size).toBe(0);
    expect(text).toContain('flush set inet quorum quorum_v4\nflush set inet quorum quorum_v6\n');
  });

  it(`splits large lists into statements of at most ${NFT_ELEMENTS_PER_STATEMENT} elements`, () => {
    const list: BlocklistEntry[] = [];
    for (let i = 0; i < 2500; i++) list.push(entry(`10.${i >> 8}.${i & 255}.1`, 60 + i));
    for (let i = 0; i < 1001; i++) list.push(entry(`2001:db8:${i.toString(16)}::/64`, 60));
    const file = render(list);
    expect(file.statementSizes).toEqual([1000, 1000, 500, 1000, 1]);
    expect(file.elements.get('quorum_v4')!.map((e) => e.value)).toEqual(list.slice(0, 2500).map((e) => e.value));
    expect(file.elements.get('quorum_v6')).toHaveLength(1001);
  });

  it('never emits overlapping or duplicate elements', () => {
    const file = render([
      entry('198.51.100.7', 50), entry('198.51.100.0/24', 10), entry('198.51.100.0/24', 20),
      entry('203.0.113.5/24', 5), entry('203.0.113.77', 5), entry('2001:db8:1:2::1', 9), entry('2001:db8:1::/48', 9),
    ]);
    expect(file.elements.get('quorum_v4')).toEqual([
      { value: '198.51.100.0/24', timeout: 20 },
      { value: '203.0.113.5/24', timeout: 5 },
    ]);
    expect(file.elements.get('quorum_v6')).toEqual([{ value: '2001:db8:1::/48', timeout: 9 }]);
  });

  it('caps timeouts at what nft accepts', () => {
    const file = render([entry('192.0.2.1', 365 * 86_400)]);
    expect(file.elements.get('quorum_v4')).toEqual([{ value: '192.0.2.1', timeout: NFT_MAX_TIMEOUT_SECONDS }]);
  });

  it('uses the configured name and hooks', () => {
    const file = render([entry('192.0.2.1', 10)], { setName: 'blocklist', nftHooks: ['input', 'forward'] });
    expect(file.table).toBe('blocklist');
    expect([...file.sets.keys()]).toEqual(['blocklist_v4', 'blocklist_v6']);
    expect(file.rules).toEqual([
      'input ip blocklist_v4', 'input ip6 blocklist_v6', 'forward ip blocklist_v4', 'forward ip6 blocklist_v6',
    ]);
    expect(render([], { nftHooks: [] }).chains).toEqual([]);
  });

  it.each(['', 'bad-name', '1abc', 'a b', 'x'.repeat(25), 'quorum;flush'])('refuses set name %j', (setName) => {
    expect(() => renderNftables([], { ...ctx, setName })).toThrow(BlocklistRenderError);
  });

  it('refuses an unknown hook', () => {
    expect(() => renderNftables([], { ...ctx, nftHooks: ['output' as 'input'] })).toThrow(BlocklistRenderError);
  });

  it('is checked by a reader that catches broken files', () => {
    const good = renderNftables([entry('192.0.2.1', 10), entry('192.0.2.2', 10), entry('2001:db8::/64', 20)], ctx).toString('utf8');
    expect(() => parseNft(good)).not.toThrow();
    const broken = [
      good.replace('flush set inet quorum quorum_v4\n', ''),
      good.replace('192.0.2.1 timeout', '2001:db8::9 timeout'),
      good.replace('192.0.2.2 timeout', '192.0.2.0/24 timeout'),
      good.replace('192.0.2.1 timeout 10s,', '192.0.2.1 timeout 10s'),
      good.replace('timeout 10s', 'timeout 0s'),
      good.replace('flags interval, timeout', 'flags interval'),
      good.replace('@quorum_v6', '@quorum_v4'),
      good.slice(0, -1),
    ];
    for (const text of broken) expect(() => parseNft(text)).toThrow();
  });

  it('renders identical bytes for identical input', () => {
    const list = [entry('192.0.2.1', 10), entry('2001:db8::/64', 20)];
    expect(renderNftables(list, ctx).equals(renderNftables(list, ctx))).toBe(true);
  });
});
