/**
 * Checks rendered firewall files with the real tools when they are installed
 * (`scripts/ensure-firewall-tools.sh` installs Debian's nftables and ipset when run as root).
 * Files are only ever *loaded* inside a private network namespace (`unshare -n`), never into the
 * host's firewall; without one, nftables falls back to `nft -c` (parse and validate only) and
 * ipset to the grammar tests in ipset.spec.ts.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderIpset } from './ipset.js';
import { renderNftables } from './nftables.js';
import type { BlocklistEntry, RenderContext } from './types.js';

function findTool(name: string): string | null {
  const dirs = ['/usr/sbin', '/sbin', '/usr/bin', '/bin', ...(process.env.PATH ?? '').split(':')];
  for (const dir of dirs) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return null;
}

function run(command: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

const dir = mkdtempSync(join(tmpdir(), 'quorum-fw-'));
let fileCount = 0;
function file(body: Buffer | string): string {
  const path = join(dir, `f${fileCount++}`);
  writeFileSync(path, body);
  return path;
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nft = findTool('nft');
const ipset = findTool('ipset');
const unshare = findTool('unshare');
const netns = unshare !== null && run(unshare, ['-n', 'true']).status === 0;
const nftCheck = nft !== null && run(nft, ['-c', '-f', file('table inet quorum_probe {\n}\n')]).status === 0;

/** Runs a shell script in a fresh, empty network namespace; extra args are $1, $2, ... */
function inNetns(script: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return run(unshare!, ['-n', '--', 'sh', '-c', script, 'sh', ...args]);
}

// Loading needs the kernel side too (nf_tables, ip_set modules); probe it rather than fail.
const nftLoad = nft !== null && netns && inNetns('nft add table inet quorum_probe').status === 0;
const ipsetLoad = ipset !== null && netns && inNetns('ipset create quorum_probe hash:net').status === 0;
// Printed so a CI log shows whether the real tools or only the grammar tests checked the files.
console.info(`firewall tools: ${JSON.stringify({ nft, ipset, netns, nftCheck, nftLoad, ipsetLoad })}`);

const now = new Date('2026-11-25T17:00:00.000Z');
const ctx: RenderContext = { version: 1, generatedAt: now, now };
const entry = (value: string, seconds: number): BlocklistEntry => ({
  value,
  scope: value.includes('/') ? 'range' : 'ip',
  scenarioClass: 'ssh-bruteforce',
  score: 1,
  until: new Date(now.getTime() + seconds * 1000),
});

const mixed: BlocklistEntry[] = [
  entry('192.0.2.1', 3600), entry('198.51.100.0/24', 7200), entry('198.51.100.7', 60), entry('10.0.0.5/24', 30),
  entry('2001:db8:1:2::/64', 86_400), entry('2001:db8:1:2::99', 5), entry('::ffff:192.0.2.9', 5),
  entry('203.0.113.9', -10), entry('192.0.2.2', 400 * 86_400),
];
const large: BlocklistEntry[] = [];
for (let i = 0; i < 3000; i++) large.push(entry(`100.${64 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`, 60 + i));
for (let i = 0; i < 1200; i++) large.push(entry(`2001:db8:${i.toString(16)}::/64`, 600));

(nftCheck ? describe : describe.skip)('nft -c -f (syntax and semantics, no kernel change)', () => {
  it.each([
    ['a mixed list', mixed, {}],
    ['an empty list', [], {}],
    ['a chunked list of 4,200 entries', large, {}],
    ['a custom name with input and forward chains', mixed, { setName: 'blocklist', nftHooks: ['input', 'forward'] }],
    ['sets without chains', mixed, { nftHooks: [] }],
  ] as const)('accepts %s', (_name, list, extra) => {
    const result = run(nft!, ['-c', '-f', file(renderNftables(list, { ...ctx, ...extra }))]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('rejects a broken file (the check is not a no-op)', () => {
    const text = renderNftables(mixed, ctx).toString('utf8').replace('192.0.2.1 timeout 3600s', '198.51.100.9 timeout 3600s');
    const result = run(nft!, ['-c', '-f', file(text)]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/conflicting intervals|interval overlaps/);
  });
});

interface NftJsonElement {
  elem: { val: string | { prefix: { addr: string; len: number } }; timeout: number };
}
type NftJson = { nftables: ({ set?: { name: string; elem?: NftJsonElement[] } } & { rule?: { chain: string } })[] };

(nftLoad ? describe : describe.skip)('nft -f in a private network namespace', () => {
  it('loads, then atomically replaces the list on reload without duplicating rules', () => {
    const first = file(renderNftables(large, ctx));
    const second = file(renderNftables(mixed, ctx));
    const result = inNetns('nft -f "$1" && nft -f "$2" && nft -f "$2" && nft -j list table inet quorum', first, second);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const listing = JSON.parse(result.stdout) as NftJson;
    const elements = new Map<string, Map<string, number>>();
    for (const item of listing.nftables) {
      if (!item.set) continue;
      const values = new Map<string, number>();
      for (const { elem } of item.set.elem ?? []) {
        const value = typeof elem.val === 'string' ? elem.val : `${elem.val.prefix.addr}/${elem.val.prefix.len}`;
        values.set(value, elem.timeout);
      }
      elements.set(item.set.name, values);
    }
    expect(elements.get('quorum_v4')).toEqual(
      new Map([['192.0.2.1', 3600], ['198.51.100.0/24', 7200], ['10.0.0.0/24', 30], ['203.0.113.9', 1], ['192.0.2.2', 4_294_967]]),
    );
    expect(elements.get('quorum_v6')).toEqual(new Map([['2001:db8:1:2::/64', 86_400], ['::ffff:192.0.2.9', 5]]));
    expect(listing.nftables.filter((item) => item.rule?.chain === 'input')).toHaveLength(2);
  });
});

(ipsetLoad ? describe : describe.skip)('ipset restore in a private network namespace', () => {
  function members(save: string, set: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const line of save.split('\n')) {
      const m = new RegExp(`^add ${set} (\\S+) timeout (\\d+)$`).exec(line);
      if (m) out.set(m[1], Number(m[2]));
    }
    return out;
  }

  it('loads, reloads over the live sets and over a stale temporary set, and leaves only the live sets', () => {
    const first = file(renderIpset(large, ctx));
    const second = file(renderIpset(mixed, ctx));
    const script =
      'ipset restore -f "$1" && ipset create quorum-v4-tmp hash:net maxelem 16 && ipset restore -f "$2" && ipset save';
    const result = inNetns(script, first, second);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const setNames = result.stdout.split('\n').filter((l) => l.startsWith('create ')).map((l) => l.split(' ')[1]);
    expect(setNames).toEqual(['quorum-v4', 'quorum-v6']);
    // The kernel's countdown may already have ticked by one second when the set is listed.
    const v4 = members(result.stdout, 'quorum-v4');
    expect([...v4.keys()].sort()).toEqual(['10.0.0.0/24', '192.0.2.1', '192.0.2.2', '198.51.100.0/24', '198.51.100.7', '203.0.113.9']);
    expect(v4.get('192.0.2.1')).toBeGreaterThanOrEqual(3599);
    expect(v4.get('192.0.2.2')).toBeGreaterThanOrEqual(2_147_482);
    const v6 = members(result.stdout, 'quorum-v6');
    expect([...v6.keys()].sort()).toEqual(['2001:db8:1:2::/64', '2001:db8:1:2::99', '::ffff:192.0.2.9']);
  });

  it('rejects a broken file (the check is not a no-op)', () => {
    const broken = renderIpset(mixed, ctx).toString('utf8').replace('timeout 3600\n', 'timeout 9999999\n');
    const result = inNetns('ipset restore -f "$1"', file(broken));
    expect(result.status).not.toBe(0);
  });
});
