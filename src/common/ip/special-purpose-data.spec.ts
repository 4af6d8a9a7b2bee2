import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCidr } from './cidr.js';
import { projectRoot } from '../util/project-root.js';
import { dataFilePath } from './data-path.js';

interface Row {
  cidr: string;
  name: string;
  rfc: string;
  globallyReachable?: boolean | null;
}

const file = dataFilePath('iana-special-purpose.json');
const data = JSON.parse(readFileSync(file, 'utf8')) as {
  asOf: string;
  ipv4: { csv: string; lastUpdated: string; entries: Row[] };
  ipv6: { csv: string; lastUpdated: string; entries: Row[] };
  extra: { entries: Row[] };
};

describe('data/iana-special-purpose.json', () => {
  it('records its sources and dates', () => {
    expect(data.ipv4.csv).toMatch(/^https:\/\/www\.iana\.org\/assignments\/iana-ipv4-special-registry\//);
    expect(data.ipv6.csv).toMatch(/^https:\/\/www\.iana\.org\/assignments\/iana-ipv6-special-registry\//);
    expect(data.ipv4.lastUpdated).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
    expect(data.ipv6.lastUpdated).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
    expect(data.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('holds canonical CIDRs of the right family, each with a name and an RFC', () => {
    const check = (rows: Row[], family: 4 | 6 | null) => {
      for (const row of rows) {
        const c = parseCidr(row.cidr);
        expect([row.cidr, c?.isCanonical, c?.text]).toEqual([row.cidr, true, row.cidr === '::ffff:0:0/96' ? '0.0.0.0/0' : row.cidr]);
        if (family !== null && row.cidr !== '::ffff:0:0/96') expect(c?.version).toBe(family);
        expect(row.name.length).toBeGreaterThan(0);
        expect(row.rfc).toMatch(/\[RFC\d+\]/);
      }
    };
    check(data.ipv4.entries, 4);
    check(data.ipv6.entries, 6);
    check(data.extra.entries, null);
    expect(data.ipv4.entries.length).toBe(26);
    expect(data.ipv6.entries.length).toBe(25);
    expect(data.extra.entries.map((e) => e.cidr)).toEqual(expect.arrayContaining(['224.0.0.0/4', 'ff00::/8']));
    expect(data.ipv4.entries.map((e) => e.cidr)).toContain('240.0.0.0/4');
  });

  it('is exactly what the update script generates from the CSVs in data/iana/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iana-'));
    try {
      const out = join(dir, 'out.json');
      const seed = { ...data, ipv4: { ...data.ipv4, entries: [] }, ipv6: { ...data.ipv6, entries: [] } };
      writeFileSync(out, JSON.stringify(seed));
      const root = projectRoot();
      execFileSync(process.execPath, [
        join(root, 'scripts/update-iana-special-purpose.mjs'),
        '--ipv4', join(root, 'data/iana/iana-ipv4-special-registry-1.csv'),
        '--ipv6', join(root, 'data/iana/iana-ipv6-special-registry-1.csv'),
        '--as-of', data.asOf,
        '--out', out,
      ], { stdio: 'pipe' });
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(file, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the update script refuses a CSV with an unexpected header', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iana-'));
    try {
      const out = join(dir, 'out.json');
      copyFileSync(file, out);
      writeFileSync(join(dir, 'bad.csv'), 'Prefix,Name\n10.0.0.0/8,x\n');
      const root = projectRoot();
      expect(() =>
        execFileSync(process.execPath, [
          join(root, 'scripts/update-iana-special-purpose.mjs'),
          '--ipv4', join(dir, 'bad.csv'),
          '--ipv6', join(root, 'data/iana/iana-ipv6-special-registry-1.csv'),
          '--out', out,
        ], { stdio: 'pipe' }),
      ).toThrow(/unexpected IPv4 header/);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(file, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
