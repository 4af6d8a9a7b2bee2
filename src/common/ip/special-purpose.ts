// IANA special-purpose, multicast and IETF-reserved address blocks, and which of them must never
// be listed as a target. Data: data/iana-special-purpose.json (see data/README.md).
import { readFileSync } from 'node:fs';
import { CidrSet } from './cidr-set.js';
import { cidrV6, parseCidr, type ParsedCidr } from './cidr.js';
import { dataFilePath } from './data-path.js';
import type { ParsedIp } from './ip-address.js';

export type SpecialPurposeSource = 'iana-ipv4-special' | 'iana-ipv6-special' | 'extra' | 'derived-6to4' | 'derived-nat64';

export interface SpecialPurposeEntry {
  readonly cidr: string;
  readonly name: string;
  readonly rfc: string;
  readonly source: SpecialPurposeSource;
  /** the registry's "Globally Reachable" flag; null for N/A, blank (terminated) and extra blocks */
  readonly globallyReachable: boolean | null;
  /** true when an address in this block must never be listed as a target */
  readonly blocksListing: boolean;
}

interface RegistryRow {
  cidr: string;
  name: string;
  rfc: string;
  terminationDate: string | null;
  globallyReachable: boolean | null;
}

interface ExtraRow {
  cidr: string;
  name: string;
  rfc: string;
}

export interface SpecialPurposeData {
  ipv4: { entries: RegistryRow[] };
  ipv6: { entries: RegistryRow[] };
  extra: { entries: ExtraRow[] };
}

/**
 * Decisions for registry rows whose "Globally Reachable" is N/A. A row that is terminated, or
 * N/A and missing here (a future registry addition), blocks: failing closed is the safe side.
 */
export const NOT_APPLICABLE_DECISIONS: Readonly<Record<string, { blocks: boolean; why: string }>> = {
  '192.88.99.0/24': { blocks: true, why: 'deprecated 6to4 relay anycast (RFC 7526): shared relays, no single owner' },
  '2001:10::/28': { blocks: true, why: 'deprecated ORCHID: identifiers, not routable locators' },
  '2001::/32': {
    blocks: true,
    why: 'Teredo: bits 32-63 hold the Teredo server address, so one /64 vote key would lump every client of a server together',
  },
  '2002::/16': {
    blocks: false,
    why: '6to4: each /48 maps to one public IPv4 site; derived entries still block 6to4 space embedding special IPv4 blocks',
  },
};

const SIX_TO_FOUR_HI = 0x2002n << 48n;
const NAT64_WKP_HI = 0x0064ff9bn << 32n;

function registryBlocks(row: RegistryRow): boolean {
  if (row.terminationDate !== null) return true;
  if (row.globallyReachable !== null) return !row.globallyReachable;
  return NOT_APPLICABLE_DECISIONS[row.cidr]?.blocks ?? true;
}

function mustParse(cidr: string): ParsedCidr {
  const parsed = parseCidr(cidr);
  if (parsed === null) throw new Error(`special-purpose data: bad CIDR ${cidr}`);
  return parsed;
}

/** IPv6 forms that carry an IPv4 block: 6to4 (2002:V4::/16+p) and the NAT64 well-known prefix. */
function derivedEntries(v4: ParsedCidr, base: SpecialPurposeEntry): [ParsedCidr, SpecialPurposeEntry][] {
  if (v4.version !== 4) return [];
  const sixToFour = cidrV6(SIX_TO_FOUR_HI | (BigInt(v4.start) << 16n), 0n, 16 + v4.prefix);
  const nat64 = cidrV6(NAT64_WKP_HI, BigInt(v4.start), 96 + v4.prefix);
  const derive = (c: ParsedCidr, source: SpecialPurposeSource, label: string): [ParsedCidr, SpecialPurposeEntry] => [
    c,
    { ...base, cidr: c.text, name: `${label} of ${base.name} (${base.cidr})`, source },
  ];
  return [derive(sixToFour, 'derived-6to4', '6to4 embedding'), derive(nat64, 'derived-nat64', 'NAT64 embedding')];
}

export class SpecialPurposeTable {
  private constructor(
    private readonly set: CidrSet<SpecialPurposeEntry>,
    readonly entries: readonly SpecialPurposeEntry[],
  ) {}

  static fromData(data: SpecialPurposeData): SpecialPurposeTable {
    const pairs: [ParsedCidr, SpecialPurposeEntry][] = [];
    const addRegistry = (rows: RegistryRow[], version: 4 | 6, source: SpecialPurposeSource): void => {
      for (const row of rows) {
        const cidr = mustParse(row.cidr);
        // ::ffff:0:0/96 parses as IPv4 0.0.0.0/0: mapped addresses are already IPv4 after parseIp.
        if (cidr.version !== version) continue;
        const entry: SpecialPurposeEntry = {
          cidr: cidr.text,
          name: row.name,
          rfc: row.rfc,
          source,
          globallyReachable: row.globallyReachable,
          blocksListing: registryBlocks(row),
        };
        pairs.push([cidr, entry], ...derivedEntries(cidr, entry));
      }
    };
    addRegistry(data.ipv4.entries, 4, 'iana-ipv4-special');
    addRegistry(data.ipv6.entries, 6, 'iana-ipv6-special');
    for (const row of data.extra.entries) {
      const cidr = mustParse(row.cidr);
      const entry: SpecialPurposeEntry = {
        cidr: cidr.text,
        name: row.name,
        rfc: row.rfc,
        source: 'extra',
        globallyReachable: null,
        blocksListing: true,
      };
      pairs.push([cidr, entry], ...derivedEntries(cidr, entry));
    }
    return new SpecialPurposeTable(CidrSet.build(pairs), pairs.map(([, e]) => e));
  }

  static fromFile(path: string = dataFilePath('iana-special-purpose.json')): SpecialPurposeTable {
    return SpecialPurposeTable.fromData(JSON.parse(readFileSync(path, 'utf8')) as SpecialPurposeData);
  }

  /** The most specific block holding `ip`, whether or not it blocks listing. */
  entry(ip: ParsedIp): SpecialPurposeEntry | null {
    return this.set.match(ip) ?? null;
  }

  /** The block that forbids listing `ip`, or null when `ip` may be listed. */
  blocking(ip: ParsedIp): SpecialPurposeEntry | null {
    const e = this.set.match(ip);
    return e !== undefined && e.blocksListing ? e : null;
  }
}

let defaultTable: SpecialPurposeTable | undefined;

export function specialPurposeTable(): SpecialPurposeTable {
  defaultTable ??= SpecialPurposeTable.fromFile();
  return defaultTable;
}

/**
 * The special-purpose / multicast / reserved block that forbids listing `ip`, or null when it may
 * be listed. Globally reachable registry blocks (e.g. AS112, NAT64 64:ff9b::/96) return null.
 */
export function specialPurpose(ip: ParsedIp): SpecialPurposeEntry | null {
  return specialPurposeTable().blocking(ip);
}

/** The most specific registry/extra block holding `ip`, including globally reachable ones. */
export function specialPurposeEntry(ip: ParsedIp): SpecialPurposeEntry | null {
  return specialPurposeTable().entry(ip);
}
