import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';
import { DEFAULT_IPSET_MAXELEM, IPSET_MAX_TIMEOUT_SECONDS, renderIpset } from './ipset.js';
import { BlocklistRenderError, type BlocklistEntry, type RenderContext } from './types.js';

interface IpsetSet {
  family: 'inet' | 'inet6';
  maxelem: number;
  /** Network (normalised by ipaddr.js) -> timeout in seconds. */
  members: Map<string, number>;
}

type Kernel = Map<string, IpsetSet>;

const NAME = '[A-Za-z0-9_-]{1,31}';

function networkKey(value: string, family: 'inet' | 'inet6'): string {
  const bits = family === 'inet' ? 32 : 128;
  const [, prefix] = value.includes('/') ? ipaddr.parseCIDR(value) : [null, bits];
  if (prefix < 1) throw new Error(`hash:net refuses prefix ${prefix}`);
  const cidr = `${value.split('/')[0]}/${prefix}`;
  const net = family === 'inet' ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
  return `${net.toNormalizedString()}/${prefix}`;
}

/**
 * Strict reader of the renderer's `ipset restore` subset, executed against a model of the kernel's
 * set table with ipset's own rules: `create` fails on an existing name unless `-exist` is given
 * and every parameter (maxelem included) is identical; `destroy` fails on a missing set unless
 * `-exist`; `add` fails on a missing set, a wrong family or an element already present; `swap`
 * needs two sets of the same type and family. Like `ipset restore`, it stops at the first error.
 */
function restoreIpset(text: string, kernel: Kernel): void {
  if (!text.endsWith('\n')) throw new Error('file must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, index) => {
    const fail = (why: string): never => {
      throw new Error(`line ${index + 1} ${JSON.stringify(line)}: ${why}`);
    };
    let m: RegExpExecArray | null;
    if (line.startsWith('# ')) return;
    if ((m = new RegExp(`^create (${NAME}) hash:net family (inet|inet6) timeout 0 maxelem ([1-9][0-9]*)( -exist)?$`).exec(line))) {
      const wanted: IpsetSet = { family: m[2] as 'inet' | 'inet6', maxelem: Number(m[3]), members: new Map() };
      const existing = kernel.get(m[1]);
      if (existing) {
        if (!m[4]) fail('set exists');
        if (existing.family !== wanted.family || existing.maxelem !== wanted.maxelem) fail('set exists with other parameters');
        return;
      }
      kernel.set(m[1], wanted);
    } else if ((m = new RegExp(`^destroy (${NAME})( -exist)?$`).exec(line))) {
      if (!kernel.delete(m[1]) && !m[2]) fail('no such set');
    } else if ((m = new RegExp(`^add (${NAME}) ([0-9A-Fa-f:.]+(?:/[0-9]{1,3})?) timeout ([0-9]+)$`).exec(line))) {
      const set = kernel.get(m[1]) ?? fail('no such set');
      const family = isIP(m[2].split('/')[0]);
      if (family !== (set.family === 'inet' ? 4 : 6)) fail('wrong family');
      const timeout = Number(m[3]);
      if (timeout > IPSET_MAX_TIMEOUT_SECONDS) fail('timeout out of range');
      if (timeout === 0) fail('timeout 0 would make the element permanent');
      const key = networkKey(m[2], set.family);
      if (set.members.has(key)) fail('element already added');
      if (set.members.size >= set.maxelem) fail('set is full');
      set.members.set(key, timeout);
    } else if ((m = new RegExp(`^swap (${NAME}) (${NAME})$`).exec(line))) {
      const a = kernel.get(m[1]) ?? fail('no such set');
      const b = kernel.get(m[2]) ?? fail('no such set');
      if (a.family !== b.family) fail('incompatible sets');
      kernel.set(m[1], b);
      kernel.set(m[2], a);
    } else {
      fail('not in the grammar');
    }
  });
}

const now = new Date('2026-11-25T17:00:00.000Z');
const ctx: RenderContext = { version: 9, generatedAt: now, now };
const entry = (value: string, seconds: number): BlocklistEntry => ({
  value,
  scope: value.includes('/') ? 'range' : 'ip',
  scenarioClass: 'ssh-bruteforce',
  score: 1,
  until: new Date(now.getTime() + seconds * 1000),
});
const members = (kernel: Kernel, name: string): [string, number][] => [...(kernel.get(name)?.members ?? [])];

describe('renderIpset', () => {
  const list = [
    entry('192.0.2.1', 3600.7), entry('198.51.100.0/24', 60), entry('198.51.100.7', 120), entry('10.0.0.5/24', 5),
    entry('10.0.0.0/24', 50), entry('2001:db8:1:2::/64', 86_400), entry('203.0.113.9', -30),
  ];

  it('loads into an empty kernel, leaving only the two live sets', () => {
    const kernel: Kernel = new Map();
    restoreIpset(renderIpset(list, ctx).toString('utf8'), kernel);
    expect([...kernel.keys()].sort()).toEqual(['quorum-v4', 'quorum-v6']);
    expect(members(kernel, 'quorum-v4')).toEqual([
      ['192.0.2.1/32', 3600],
      ['198.51.100.0/24', 60],
      ['198.51.100.7/32', 120],
      ['10.0.0.0/24', 50],
      ['203.0.113.9/32', 1],
    ]);
    expect(members(kernel, 'quorum-v6')).toEqual([['2001:db8:1:2:0:0:0:0/64', 86_400]]);
    expect(kernel.get('quorum-v4')!.maxelem).toBe(DEFAULT_IPSET_MAXELEM);
  });

  it('replaces the previous list on reload, even after an interrupted load left a temporary set', () => {
    const kernel: Kernel = new Map();
    restoreIpset(renderIpset(list, ctx).toString('utf8'), kernel);
    kernel.set('quorum-v4-tmp', { family: 'inet', maxelem: 7, members: new Map([['1.1.1.1/32', 5]]) });
    restoreIpset(renderIpset([entry('192.0.2.200', 30)], ctx).toString('utf8'), kernel);
    expect([...kernel.keys()].sort()).toEqual(['quorum-v4', 'quorum-v6']);
    expect(members(kernel, 'quorum-v4')).toEqual([['192.0.2.200/32', 30]]);
    expect(members(kernel, 'quorum-v6')).toEqual([]);
  });

  it('keeps the same create parameters from one list size to another', () => {
    const kernel: Kernel = new Map();
    const big: BlocklistEntry[] = [];
    for (let i = 0; i < 70_000; i++) big.push(entry(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, 60));
    restoreIpset(renderIpset([entry('192.0.2.1', 10)], ctx).toString('utf8'), kernel);
    restoreIpset(renderIpset(big, ctx).toString('utf8'), kernel);
    expect(kernel.get('quorum-v4')!.members.size).toBe(70_000);
  });

  it('is a valid file that empties both sets when the list is empty', () => {
    const kernel: Kernel = new Map();
    restoreIpset(renderIpset(list, ctx).toString('utf8'), kernel);
    restoreIpset(renderIpset([], ctx).toString('utf8'), kernel);
    expect(members(kernel, 'quorum-v4')).toEqual([]);
    expect(members(kernel, 'quorum-v6')).toEqual([]);
  });

  it('caps timeouts at what the kernel takes', () => {
    const kernel: Kernel = new Map();
    restoreIpset(renderIpset([entry('192.0.2.1', 90 * 86_400)], ctx).toString('utf8'), kernel);
    expect(members(kernel, 'quorum-v4')).toEqual([['192.0.2.1/32', IPSET_MAX_TIMEOUT_SECONDS]]);
  });

  it('uses the configured set name and maxelem', () => {
    const kernel: Kernel = new Map();
    restoreIpset(renderIpset(list, { ...ctx, setName: 'community', ipsetMaxElem: 4096 }).toString('utf8'), kernel);
    expect([...kernel.keys()].sort()).toEqual(['community-v4', 'community-v6']);
    expect(kernel.get('community-v6')!.maxelem).toBe(4096);
    expect(() => renderIpset(list, { ...ctx, ipsetMaxElem: 3 })).toThrow(BlocklistRenderError);
    expect(() => renderIpset(list, { ...ctx, setName: 'a-b' })).toThrow(BlocklistRenderError);
  });

  it('is checked by a reader that catches broken files', () => {
    const good = renderIpset(list, ctx).toString('utf8');
    const load = (text: string): void => restoreIpset(text, new Map());
    expect(() => load(good)).not.toThrow();
    const broken = [
      good.replace('destroy quorum-v4-tmp -exist\n', 'destroy quorum-v4-tmp\n'),
      good.replace('add quorum-v4-tmp 192.0.2.1 ', 'add quorum-v6-tmp 192.0.2.1 '),
      good.replace('198.51.100.7 timeout 120', '198.51.100.0/24 timeout 120'),
      good.replace('timeout 3600\n', 'timeout 3600 -exist\n'),
      good.replace('swap quorum-v6-tmp quorum-v6\n', 'swap quorum-v6-tmp quorum-v4\n'),
      good.replace('swap quorum-v4-tmp quorum-v4\n', 'swap quorum-v4-tmp quorum-v9\n'),
      good.replace('hash:net family inet6', 'hash:ip family inet6'),
    ];
    for (const text of broken) expect(() => load(text)).toThrow();
    const reloaded: Kernel = new Map();
    restoreIpset(good, reloaded);
    expect(() => restoreIpset(good.replace('maxelem 1048576 -exist', 'maxelem 1048576'), reloaded)).toThrow(/set exists/);
    const kernel: Kernel = new Map([['quorum-v4', { family: 'inet', maxelem: 65_536, members: new Map() }]]);
    expect(() => restoreIpset(good, kernel)).toThrow(/other parameters/);
  });
});
