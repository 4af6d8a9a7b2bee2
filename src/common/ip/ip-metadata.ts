// Offline ASN / AS name / country lookup from the @ip-location-db CSV packages, held in typed
// arrays (no object per range) and searched by binary search.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cellEquals, cellText, cellUint, scanCsv } from './csv-rows.js';
import type { ParsedIp } from './ip-address.js';
import { Ipv4RangeTable, Ipv6RangeTable, type RangeFixStats } from './ip-range-table.js';
import { RangeCollector } from './range-collector.js';

export interface IpMetadata {
  asn: number | null;
  asName: string | null;
  /** ISO 3166-1 alpha-2 country of the network's registration */
  country: string | null;
}

/** Inclusive range; `start`/`end` are address texts of one family. */
export interface AsnRow {
  start: string;
  end: string;
  asn: number;
  asName: string;
}

export interface CountryRow {
  start: string;
  end: string;
  country: string;
}

/** CSV texts in the @ip-location-db layout: `start,end,asn,name` and `start,end,country`. */
export interface IpMetadataCsv {
  asnV4?: string;
  asnV6?: string;
  countryV4?: string;
  countryV6?: string;
}

export interface IpMetadataStats {
  asnRangesV4: number;
  asnRangesV6: number;
  countryRangesV4: number;
  countryRangesV6: number;
  /** distinct (asn, name) pairs */
  asEntries: number;
  invalidRows: number;
  fixes: RangeFixStats;
  /** bytes held in typed arrays (names excluded) */
  tableBytes: number;
}

const ASN_PACKAGE = '@ip-location-db/asn';
const COUNTRY_PACKAGE = '@ip-location-db/asn-country';

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/**
 * Names are slices of a multi-megabyte CSV text and would keep it alive; one join + split copies
 * them into a compact string of their own.
 */
function copyStrings(list: string[]): string[] {
  const copied = list.join('\u0000').split('\u0000');
  return copied.length === list.length ? copied : list;
}

function unpackCountry(p: number): string {
  return String.fromCharCode(p >>> 8, p & 0xff);
}

export class IpMetadataIndex {
  private constructor(
    private readonly asn4: Ipv4RangeTable,
    private readonly asn6: Ipv6RangeTable,
    private readonly country4: Ipv4RangeTable,
    private readonly country6: Ipv6RangeTable,
    private readonly asNumbers: Uint32Array,
    private readonly asNames: readonly string[],
    readonly stats: IpMetadataStats,
  ) {}

  /** Loads the installed @ip-location-db/asn and @ip-location-db/asn-country CSVs, once at start-up. */
  static async load(options: { asnDir?: string; countryDir?: string } = {}): Promise<IpMetadataIndex> {
    const resolver = createRequire(import.meta.url);
    const asnDir = options.asnDir ?? dirname(resolver.resolve(`${ASN_PACKAGE}/package.json`));
    const countryDir = options.countryDir ?? dirname(resolver.resolve(`${COUNTRY_PACKAGE}/package.json`));
    // One file at a time keeps the peak memory to a single decoded CSV text.
    const builder = new IndexBuilder();
    builder.addAsnCsv(await readFile(join(asnDir, 'asn-ipv4.csv'), 'utf8'));
    builder.addAsnCsv(await readFile(join(asnDir, 'asn-ipv6.csv'), 'utf8'));
    builder.addCountryCsv(await readFile(join(countryDir, 'asn-country-ipv4.csv'), 'utf8'));
    builder.addCountryCsv(await readFile(join(countryDir, 'asn-country-ipv6.csv'), 'utf8'));
    return IpMetadataIndex.fromBuilder(builder);
  }

  static fromCsv(csv: IpMetadataCsv): IpMetadataIndex {
    const builder = new IndexBuilder();
    for (const text of [csv.asnV4, csv.asnV6]) if (text !== undefined) builder.addAsnCsv(text);
    for (const text of [csv.countryV4, csv.countryV6]) if (text !== undefined) builder.addCountryCsv(text);
    return IpMetadataIndex.fromBuilder(builder);
  }

  /** For tests and small custom datasets. */
  static fromRows(rows: { asn?: Iterable<AsnRow>; country?: Iterable<CountryRow> }): IpMetadataIndex {
    const builder = new IndexBuilder();
    const quote = (v: string): string => `"${v.replaceAll('"', '""')}"`;
    for (const r of rows.asn ?? []) {
      const t = `${r.start},${r.end},${quote(r.asName)}`;
      const a = r.start.length;
      const b = a + 1 + r.end.length;
      builder.addAsn(t, 0, a, a + 1, b, Number.isInteger(r.asn) ? r.asn : -1, b + 1, t.length);
    }
    for (const r of rows.country ?? []) {
      const t = `${r.start},${r.end},${r.country}`;
      const a = r.start.length;
      const b = a + 1 + r.end.length;
      builder.addCountry(t, 0, a, a + 1, b, b + 1, t.length);
    }
    return IpMetadataIndex.fromBuilder(builder);
  }

  private static fromBuilder(builder: IndexBuilder): IpMetadataIndex {
    const p = builder.build();
    return new IpMetadataIndex(p.asn4, p.asn6, p.country4, p.country6, p.asNumbers, p.asNames, p.stats);
  }

  /** ASN, AS name and country for `ip`, or null when no dataset covers it. */
  lookup(ip: ParsedIp): IpMetadata | null {
    const a = ip.version === 4 ? this.asn4.find(ip.value) : this.asn6.find(ip);
    const c = ip.version === 4 ? this.country4.find(ip.value) : this.country6.find(ip);
    if (a < 0 && c < 0) return null;
    return {
      asn: a < 0 ? null : this.asNumbers[a],
      asName: a < 0 ? null : this.asNames[a],
      country: c < 0 ? null : unpackCountry(c),
    };
  }
}

interface IndexParts {
  asn4: Ipv4RangeTable;
  asn6: Ipv6RangeTable;
  country4: Ipv4RangeTable;
  country6: Ipv6RangeTable;
  asNumbers: Uint32Array;
  asNames: string[];
  stats: IpMetadataStats;
}

class IndexBuilder {
  readonly asn = new RangeCollector();
  readonly country = new RangeCollector();
  /** asn -> first (asn, name) pair; `nextSameAsn` chains the other names of that asn */
  private readonly firstPair = new Map<number, number>();
  private readonly nextSameAsn: number[] = [];
  private readonly asNumbers: number[] = [];
  private asNames: string[] = [];

  addAsnCsv(text: string): void {
    scanCsv(text, 4, (c, n) => {
      if (n !== 4) this.asn.invalid++;
      else this.addAsn(text, c[0], c[1], c[2], c[3], cellUint(text, c[4], c[5]), c[6], c[7]);
    });
    this.asNames = copyStrings(this.asNames);
  }

  addCountryCsv(text: string): void {
    scanCsv(text, 3, (c, n) => {
      if (n !== 3) this.country.invalid++;
      else this.addCountry(text, c[0], c[1], c[2], c[3], c[4], c[5]);
    });
  }

  /** Cells are [start, end) offsets into `t`: start address, end address, AS name. */
  addAsn(t: string, s0: number, e0: number, s1: number, e1: number, asn: number, s3: number, e3: number): void {
    if (asn < 0 || asn > 0xffffffff) {
      this.asn.invalid++;
      return;
    }
    let p = this.firstPair.get(asn);
    let last = -1;
    while (p !== undefined && p >= 0 && !cellEquals(t, s3, e3, this.asNames[p])) {
      last = p;
      p = this.nextSameAsn[p];
    }
    if (p === undefined || p < 0) {
      p = this.asNumbers.push(asn) - 1;
      this.asNames.push(cellText(t, s3, e3));
      this.nextSameAsn.push(-1);
      if (last >= 0) this.nextSameAsn[last] = p;
      else this.firstPair.set(asn, p);
    }
    this.asn.add(t, s0, e0, s1, e1, p);
  }

  addCountry(t: string, s0: number, e0: number, s1: number, e1: number, s2: number, e2: number): void {
    const a = t.charCodeAt(s2);
    const b = t.charCodeAt(s2 + 1);
    if (e2 - s2 !== 2 || !isUpper(a) || !isUpper(b)) this.country.invalid++;
    else this.country.add(t, s0, e0, s1, e1, (a << 8) | b);
  }

  build(): IndexParts {
    const fixes: RangeFixStats = { clipped: 0, split: 0, dropped: 0 };
    const [asn4, asn6] = this.asn.build(fixes);
    const [country4, country6] = this.country.build(fixes);
    const asNumbers = Uint32Array.from(this.asNumbers);
    const asNames = copyStrings(this.asNames);
    const stats: IpMetadataStats = {
      asnRangesV4: asn4.size,
      asnRangesV6: asn6.size,
      countryRangesV4: country4.size,
      countryRangesV6: country6.size,
      asEntries: asNumbers.length,
      invalidRows: this.asn.invalid + this.country.invalid,
      fixes,
      tableBytes: asn4.byteLength + asn6.byteLength + country4.byteLength + country6.byteLength + asNumbers.byteLength,
    };
    return { asn4, asn6, country4, country6, asNumbers, asNames, stats };
  }
}
