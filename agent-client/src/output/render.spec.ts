import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseCidr } from '../net/cidr.js';
import { prepareBlocklist } from './blocklist-entries.js';
import { renderIpset, renderNftables, renderText } from './render.js';

const nftOptions = { family: 'inet' as const, table: 'quorum', setV4: 'quorum_v4', setV6: 'quorum_v6' };

function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('prepareBlocklist', () => {
  const allow = ['198.51.100.7', '2001:db8:1::/48'].map((t) => parseCidr(t)!);

  it('removes allowlisted addresses, splitting ranges around them', () => {
    const p = prepareBlocklist(['203.0.113.5', '198.51.100.7', '198.51.100.0/29', '2001:db8::/32', '2001:db9::1'], allow);
    expect(p.v4.map((c) => c.text)).toEqual(['198.51.100.0/30', '198.51.100.4/31', '198.51.100.6', '203.0.113.5']);
    expect(p.v6.map((c) => c.text)).toEqual(['2001:db8::/48', '2001:db8:2::/47', '2001:db8:4::/46', '2001:db8:8::/45', '2001:db8:10::/44', '2001:db8:20::/43', '2001:db8:40::/42', '2001:db8:80::/41', '2001:db8:100::/40', '2001:db8:200::/39', '2001:db8:400::/38', '2001:db8:800::/37', '2001:db8:1000::/36', '2001:db8:2000::/35', '2001:db8:4000::/34', '2001:db8:8000::/33', '2001:db9::1']);
    expect(p.allowlisted).toBe(3);
  });

  it('dedupes, merges overlaps, refuses /0 and reports junk', () => {
    const p = prepareBlocklist(['10.0.0.1', '10.0.0.1', '10.0.0.0/24', '0.0.0.0/0', 'junk', '::/0'], []);
    expect(p.v4.map((c) => c.text)).toEqual(['10.0.0.0/24']);
    expect(p.refused).toBe(2);
    expect(p.invalid).toEqual(['junk']);
  });
});

describe('renderers', () => {
  const list = prepareBlocklist(['203.0.113.5', '198.51.100.0/24', '2001:db8::/48', '2001:db8:1::9'], []);

  it('text: one entry per line', () => {
    expect(renderText(list)).toBe('198.51.100.0/24\n203.0.113.5\n2001:db8::/48\n2001:db8:1::9\n');
    expect(renderText({ v4: [], v6: [] })).toBe('');
  });

  it('nftables: the service\'s layout (table of its own, sets, input chain with drop rules), flushed and refilled', () => {
    const text = renderNftables(list, nftOptions);
    expect(text).toContain(
      [
        'table inet quorum {',
        '\tset quorum_v4 {\n\t\ttype ipv4_addr\n\t\tflags interval, timeout\n\t}',
        '\tset quorum_v6 {\n\t\ttype ipv6_addr\n\t\tflags interval, timeout\n\t}',
        '\tchain input {\n\t\ttype filter hook input priority filter - 10; policy accept;\n\t}',
        '}',
        'flush chain inet quorum input',
        'add rule inet quorum input ip saddr @quorum_v4 counter drop',
        'add rule inet quorum input ip6 saddr @quorum_v6 counter drop',
        'flush set inet quorum quorum_v4',
        'flush set inet quorum quorum_v6',
        'add element inet quorum quorum_v4 { 198.51.100.0/24, 203.0.113.5 }',
        'add element inet quorum quorum_v6 { 2001:db8::/48, 2001:db8:1::9 }',
      ].join('\n'),
    );
    const both = renderNftables(list, { ...nftOptions, hooks: ['input', 'forward'] });
    expect(both).toContain('add rule inet quorum forward ip saddr @quorum_v4 counter drop');
    const v4only = renderNftables(list, { ...nftOptions, family: 'ip' });
    expect(v4only).toContain('add rule ip quorum input ip saddr @quorum_v4 counter drop');
    expect(v4only).not.toContain('ip6 saddr');
    expect(renderNftables(list, { ...nftOptions, family: 'netdev' })).not.toContain('chain');
  });


  it('nftables: splits large sets into statements of 1000 elements', () => {
    const many = prepareBlocklist(Array.from({ length: 2500 }, (_, i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`), []);
    const adds = renderNftables(many, nftOptions).split('\n').filter((l) => l.startsWith('add element'));
    expect(adds).toHaveLength(3);
  });

  it('ipset: fills a temporary set and swaps it in', () => {
    const text = renderIpset(list, { setV4: 'quorum-v4', setV6: 'quorum-v6', maxElem: 65536 });
    expect(text.split('\n').slice(1, 8)).toEqual([
      'create quorum-v4 hash:net family inet hashsize 1024 maxelem 65536 -exist',
      'create quorum-v4-tmp hash:net family inet hashsize 1024 maxelem 65536 -exist',
      'flush quorum-v4-tmp',
      'add quorum-v4-tmp 198.51.100.0/24',
      'add quorum-v4-tmp 203.0.113.5',
      'swap quorum-v4-tmp quorum-v4',
      'destroy quorum-v4-tmp',
    ]);
    expect(text).toContain('add quorum-v6-tmp 2001:db8:1::9');
    expect(() => renderIpset(list, { setV4: 'a', setV6: 'b', maxElem: 1 })).toThrow(RangeError);
  });

  (hasTool('nft') && isRoot ? it : it.skip)('nftables: the real nft accepts the script (nft -c)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorum-nft-'));
    try {
      const file = join(dir, 'blocklist.nft');
      writeFileSync(file, renderNftables(prepareBlocklist([...Array.from({ length: 1500 }, (_, i) => `10.0.${i >> 8}.${i & 255}`), '10.0.0.0/30', '2001:db8::/32'], []), nftOptions));
      expect(() => execFileSync('nft', ['-c', '-f', file], { stdio: 'pipe' })).not.toThrow();
      writeFileSync(file, renderNftables({ v4: [], v6: [] }, nftOptions));
      expect(() => execFileSync('nft', ['-c', '-f', file], { stdio: 'pipe' })).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // ipset has no dry run: this creates (and destroys) real sets, so it only runs when asked
  (hasTool('ipset') && isRoot && process.env.QUORUM_FIREWALL_TESTS === '1' ? it : it.skip)('ipset: the real ipset restores the file twice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorum-ipset-'));
    const names = { setV4: `qtest4-${process.pid}`, setV6: `qtest6-${process.pid}`, maxElem: 65536 };
    try {
      const file = join(dir, 'blocklist.ipset');
      writeFileSync(file, renderIpset(list, names));
      execFileSync('ipset', ['restore', '-file', file], { stdio: 'pipe' });
      execFileSync('ipset', ['restore', '-file', file], { stdio: 'pipe' });
      expect(execFileSync('ipset', ['list', names.setV4], { encoding: 'utf8' })).toContain('203.0.113.5');
    } finally {
      spawnSync('ipset', ['destroy', names.setV4]);
      spawnSync('ipset', ['destroy', names.setV6]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
