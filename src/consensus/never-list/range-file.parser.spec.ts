import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRangeFile } from './range-file.parser.js';

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'never-list', name), 'utf8');

describe('provider range files', () => {
  it('reads Google-style crawler JSON (ipv4Prefix / ipv6Prefix)', () => {
    expect(parseRangeFile(fixture('googlebot.json')).cidrs).toEqual(['2001:4860:4801:10::/64', '66.249.64.0/27', '66.249.66.0/27']);
  });

  it('reads AWS ip-ranges.json filtered by service', () => {
    expect(parseRangeFile(fixture('aws-ip-ranges.json'), { service: 'ROUTE53_HEALTHCHECKS' }).cidrs).toEqual(['15.177.0.0/18', '2a05:d018:8000::/40']);
    expect(parseRangeFile(fixture('aws-ip-ranges.json')).cidrs).toHaveLength(3);
  });

  it('reads one-CIDR-per-line text with comments and reports bad lines', () => {
    const parsed = parseRangeFile(fixture('cdn-ips-v4.txt'));
    expect(parsed.cidrs).toEqual(['103.21.244.0/22', '104.16.0.0/13', '173.245.48.0/20']);
    expect(parsed.invalid).toEqual(['not-a-cidr']);
  });

  it('refuses a /0 and normalises single addresses to host routes', () => {
    const parsed = parseRangeFile('0.0.0.0/0\n8.8.8.8\n');
    expect(parsed.invalid).toEqual(['0.0.0.0/0']);
    expect(parsed.cidrs).toEqual(['8.8.8.8/32']);
  });
});
