import { cellEquals, cellText, cellUint, scanCsv } from './csv-rows.js';
import { parseIp, type ParsedIp } from './ip-address.js';
import { IpMetadataIndex } from './ip-metadata.js';

const ip = (text: string): ParsedIp => {
  const p = parseIp(text);
  if (p === null) throw new Error(`bad ip ${text}`);
  return p;
};

const ASN_V4 = [
  '1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc."',
  '2.26.200.0,2.26.215.255,201907,"LLC ""SPUTNIK"""',
  '5.0.0.0,5.0.0.255,64500,Example Net',
  '5.0.1.0,5.0.1.255,64500,Example Net',
  '',
].join('\r\n');
const ASN_V6 = '2001::,2001::ffff:ffff:ffff:ffff:ffff:ffff,6939,Hurricane Electric LLC\n2001:200::,2001:200:1b9:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project\n';
const COUNTRY_V4 = '1.0.0.0,1.0.0.255,AU\n1.0.1.0,1.0.3.255,CN\n5.0.0.0,5.0.255.255,DE';
const COUNTRY_V6 = '2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,JP\n';

describe('IpMetadataIndex', () => {
  const index = IpMetadataIndex.fromCsv({ asnV4: ASN_V4, asnV6: ASN_V6, countryV4: COUNTRY_V4, countryV6: COUNTRY_V6 });

  it('finds ASN, AS name and country for IPv4', () => {
    expect(index.lookup(ip('1.0.0.1'))).toEqual({ asn: 13335, asName: 'Cloudflare, Inc.', country: 'AU' });
    expect(index.lookup(ip('1.0.0.255'))).toEqual({ asn: 13335, asName: 'Cloudflare, Inc.', country: 'AU' });
    expect(index.lookup(ip('2.26.210.1'))).toEqual({ asn: 201907, asName: 'LLC "SPUTNIK"', country: null });
    expect(index.lookup(ip('1.0.2.0'))).toEqual({ asn: null, asName: null, country: 'CN' });
    expect(index.lookup(ip('::ffff:5.0.1.9'))).toEqual({ asn: 64500, asName: 'Example Net', country: 'DE' });
  });

  it('finds IPv6 ranges', () => {
    expect(index.lookup(ip('2001:200:1b9:1::1'))).toEqual({ asn: 2500, asName: 'WIDE Project', country: 'JP' });
    expect(index.lookup(ip('2001::5'))).toEqual({ asn: 6939, asName: 'Hurricane Electric LLC', country: null });
  });

  it('returns null outside every range', () => {
    expect(index.lookup(ip('0.255.255.255'))).toBeNull();
    expect(index.lookup(ip('1.0.4.0'))).toBeNull();
    expect(index.lookup(ip('9.9.9.9'))).toBeNull();
    expect(index.lookup(ip('2001:1::'))).toBeNull();
    expect(index.lookup(ip('2001:201::'))).toBeNull();
  });

  it('shares one (asn, name) entry between ranges and reports sizes', () => {
    expect(index.stats).toMatchObject({
      asnRangesV4: 4,
      asnRangesV6: 2,
      countryRangesV4: 3,
      countryRangesV6: 1,
      asEntries: 5,
      invalidRows: 0,
      fixes: { clipped: 0, split: 0, dropped: 0 },
    });
    expect(index.stats.tableBytes).toBe(4 * 12 + 2 * 36 + 3 * 12 + 36 + 5 * 4);
  });

  it('counts and skips invalid rows', () => {
    const bad = IpMetadataIndex.fromCsv({
      asnV4: '1.0.0.0,1.0.0.255,x,Name\n1.0.0.0,1.0.0.300,5,Name\n2.0.0.0,1.0.0.0,5,Backwards\n3.0.0.0,3.0.0.255,7,Ok\nshort,row',
      countryV4: '1.0.0.0,1.0.0.255,Australia\n1.0.0.0,1.0.0.255,au\n3.0.0.0,3.0.0.255,US',
    });
    expect(bad.stats.invalidRows).toBe(6);
    expect(bad.lookup(ip('3.0.0.9'))).toEqual({ asn: 7, asName: 'Ok', country: 'US' });
    expect(bad.lookup(ip('1.0.0.9'))).toBeNull();
  });

  it('repairs overlapping and unsorted ranges: the later-starting (narrower) range wins the overlap', () => {
    const fixed = IpMetadataIndex.fromRows({
      asn: [
        { start: '20.0.0.0', end: '20.0.0.255', asn: 3, asName: 'later' },
        { start: '10.0.0.0', end: '10.0.0.200', asn: 1, asName: 'first' },
        { start: '10.0.0.100', end: '10.0.0.255', asn: 2, asName: 'overlapping' },
        { start: '20.0.0.16', end: '20.0.0.31', asn: 4, asName: 'nested' },
        { start: '2001:db8::', end: '2001:db8::ffff', asn: 5, asName: 'v6 outer' },
        { start: '2001:db8::10', end: '2001:db8::1f', asn: 6, asName: 'v6 nested' },
      ],
    });
    expect(fixed.lookup(ip('10.0.0.99'))?.asn).toBe(1);
    expect(fixed.lookup(ip('10.0.0.100'))?.asn).toBe(2);
    expect(fixed.lookup(ip('10.0.0.255'))?.asn).toBe(2);
    expect(fixed.lookup(ip('20.0.0.15'))?.asn).toBe(3);
    expect(fixed.lookup(ip('20.0.0.16'))?.asn).toBe(4);
    expect(fixed.lookup(ip('20.0.0.31'))?.asn).toBe(4);
    expect(fixed.lookup(ip('20.0.0.32'))?.asn).toBe(3);
    expect(fixed.lookup(ip('2001:db8::f'))?.asn).toBe(5);
    expect(fixed.lookup(ip('2001:db8::10'))?.asn).toBe(6);
    expect(fixed.lookup(ip('2001:db8::20'))?.asn).toBe(5);
    expect(fixed.stats.fixes).toEqual({ clipped: 1, split: 2, dropped: 0 });
  });
});

describe('scanCsv', () => {
  const rowsOf = (text: string, max: number): (string[] | number)[] => {
    const rows: (string[] | number)[] = [];
    scanCsv(text, max, (cells, n) => {
      if (n > max) rows.push(n);
      else rows.push(Array.from({ length: n }, (_, k) => cellText(text, cells[2 * k], cells[2 * k + 1])));
    });
    return rows;
  };

  it('splits lines and quoted cells', () => {
    expect(rowsOf('a,b\r\n\n"x, y","say ""hi""",z\nlast,"",end\ntrailing,', 3)).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"', 'z'],
      ['last', '', 'end'],
      ['trailing', ''],
    ]);
  });

  it('flags lines with too many cells or text after a closing quote', () => {
    expect(rowsOf('a,b,c,d\n"a"b,c\nok', 3)).toEqual([4, 4, ['ok']]);
  });

  it('compares and parses cells in place', () => {
    const t = 'x,"Q ""1""",12345,1a';
    expect(cellEquals(t, 2, 11, 'Q "1"')).toBe(true);
    expect(cellEquals(t, 2, 11, 'Q 1')).toBe(false);
    expect(cellEquals(t, 0, 1, 'x')).toBe(true);
    expect(cellEquals(t, 0, 1, 'xy')).toBe(false);
    expect(cellUint(t, 12, 17)).toBe(12345);
    expect(cellUint(t, 18, 20)).toBe(-1);
    expect(cellUint(t, 5, 5)).toBe(-1);
  });
});

describe('IpMetadataIndex.load (installed @ip-location-db packages)', () => {
  it('loads the full dataset and answers known networks', async () => {
    const index = await IpMetadataIndex.load();
    expect(index.stats.asnRangesV4).toBeGreaterThan(100_000);
    expect(index.stats.asnRangesV6).toBeGreaterThan(10_000);
    expect(index.stats.countryRangesV4).toBeGreaterThan(50_000);
    expect(index.stats.invalidRows).toBe(0);
    expect(index.lookup(ip('1.1.1.1'))).toEqual({ asn: 13335, asName: 'Cloudflare, Inc.', country: 'AU' });
    expect(index.lookup(ip('2001:4860:4860::8888'))).toMatchObject({ asn: 15169, country: 'US' });
    expect(index.lookup(ip('10.0.0.1'))).toBeNull();
  }, 30_000);
});
