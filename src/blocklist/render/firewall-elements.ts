import { AddressTable } from './address-table.js';
import { maskWord, parseAddressInto, type ParsedAddress } from '../../common/ip/address-words.js';
import { BlocklistRenderError, type BlocklistEntry } from './types.js';

// Hot-path globals are bound once: a global lookup is cheap in plain Node but costs ~0.2 µs
// inside a vm context such as Jest's, which would dominate a 100k-entry render there.
const { floor } = Math;

export interface FirewallElement {
  value: string;
  timeoutSeconds: number;
}

export interface FirewallElements {
  v4: FirewallElement[];
  v6: FirewallElement[];
  /** Entries merged into another element: exact duplicates, or covered by a listed range. */
  merged: number;
}

export interface CollectOptions {
  /** The tool's largest accepted per-element timeout; lists are reloaded far more often. */
  maxTimeoutSeconds: number;
  /**
   * nftables interval sets refuse overlapping elements ("conflicting intervals"), so an address
   * inside a listed range is dropped there; the range keeps its own timeout. If the range expires
   * first, the address is back in the very next reload (views drop the expired range).
   */
  dropCovered: boolean;
}

/** Remaining lifetime in whole seconds, rounded down so a firewall never blocks past `until`,
 * and at least 1 s because both tools read 0 as "no timeout" (permanent). */
export function timeoutSeconds(until: Date, now: Date, max: number): number {
  const seconds = floor((until.getTime() - now.getTime()) / 1000);
  if (!(seconds >= 1)) return 1;
  return seconds > max ? max : seconds;
}

/** Validates, splits by family and de-duplicates entries (by network, host bits ignored). */
export function collectFirewallElements(
  entries: readonly BlocklistEntry[],
  now: Date,
  options: CollectOptions,
): FirewallElements {
  const table = new AddressTable(entries.length);
  const v4 = new FamilyElements(4, table);
  const v6 = new FamilyElements(6, table);
  const address: ParsedAddress = { family: 4, w0: 0, w1: 0, w2: 0, w3: 0, prefix: 0 };
  for (const entry of entries) {
    if (!parseAddressInto(entry.value, address)) {
      throw new BlocklistRenderError(`not an IP address or CIDR: ${JSON.stringify(entry.value)}`);
    }
    const timeout = timeoutSeconds(entry.until, now, options.maxTimeoutSeconds);
    (address.family === 4 ? v4 : v6).add(entry.value, address, timeout);
  }
  const result: FirewallElements = {
    v4: v4.finish(options.dropCovered),
    v6: v6.finish(options.dropCovered),
    merged: 0,
  };
  result.merged = entries.length - result.v4.length - result.v6.length;
  return result;
}

/** Elements of one family; both families share one table, told apart by the stored prefix tag. */
class FamilyElements {
  private readonly elements: FirewallElement[] = [];
  private readonly prefixes: boolean[];
  /** IPv4 prefixes are stored as 129..161 so they never collide with IPv6's 1..128. */
  private readonly tag: number;

  constructor(
    private readonly family: 4 | 6,
    private readonly table: AddressTable,
  ) {
    this.prefixes = new Array<boolean>(family === 4 ? 33 : 129).fill(false);
    this.tag = family === 4 ? 129 : 0;
  }

  add(value: string, a: ParsedAddress, timeout: number): void {
    const index = this.elements.length;
    const existing = this.table.putIfAbsent(a.w0, a.w1, a.w2, a.w3, a.prefix + this.tag, index);
    if (existing >= 0) {
      const kept = this.elements[existing];
      if (timeout > kept.timeoutSeconds) kept.timeoutSeconds = timeout;
      return;
    }
    this.elements.push({ value, timeoutSeconds: timeout });
    this.prefixes[a.prefix] = true;
  }

  finish(dropCovered: boolean): FirewallElement[] {
    const shorter: number[] = [];
    for (let p = 1; p < this.prefixes.length - 1; p++) if (this.prefixes[p]) shorter.push(p);
    if (!dropCovered || shorter.length === 0) return this.elements;
    // Rare path (the list holds ranges): parse again rather than keep 100k address objects.
    const kept: FirewallElement[] = [];
    const a: ParsedAddress = { family: 4, w0: 0, w1: 0, w2: 0, w3: 0, prefix: 0 };
    for (const element of this.elements) {
      parseAddressInto(element.value, a);
      if (!this.isCovered(a, shorter)) kept.push(element);
    }
    return kept;
  }

  private isCovered(a: ParsedAddress, shorter: readonly number[]): boolean {
    const offset = this.family === 4 ? 96 : 0;
    for (const q of shorter) {
      if (q >= a.prefix) break;
      const bits = q + offset;
      const found = this.table.get(
        maskWord(a.w0, bits, 0),
        maskWord(a.w1, bits, 32),
        maskWord(a.w2, bits, 64),
        maskWord(a.w3, bits, 96),
        q + this.tag,
      );
      if (found >= 0) return true;
    }
    return false;
  }
}
