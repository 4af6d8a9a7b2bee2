import { CidrSet } from '../common/ip/cidr-set.js';
import { parseCidrOrIp } from '../common/ip/cidr.js';
import { type ParsedIp, parseIp } from '../common/ip/ip-address.js';
import { specialPurpose } from '../common/ip/special-purpose.js';

/** What the matchers need of the never-list (src/consensus/never-list/never-list.service.ts). */
export interface NeverListLookup {
  categoryOf(ip: ParsedIp): string | null;
}

const EMPTY_NEVER_LIST: NeverListLookup = { categoryOf: () => null };

/** The never-list and dark canaries as fast matchers over consensus keys (IPv4 text, IPv6 /64). */
export class ConsensusMatchers {
  private neverList: NeverListLookup = EMPTY_NEVER_LIST;
  private canaries: CidrSet<true> = CidrSet.fromCidrs([]);

  load(neverList: NeverListLookup, canaries: string[]): void {
    this.neverList = neverList;
    this.canaries = CidrSet.fromCidrs(canaries, () => undefined);
  }

  /** Category that forbids listing, or null. Special-purpose space is always refused. */
  neverListCategory(ipKey: string): string | null {
    const ip = keyToIp(ipKey);
    if (!ip) return 'invalid';
    if (specialPurpose(ip)) return 'special-purpose';
    return this.neverList.categoryOf(ip);
  }

  isCanary(ipKey: string): boolean {
    const ip = keyToIp(ipKey);
    return ip !== null && this.canaries.has(ip);
  }
}

function keyToIp(ipKey: string) {
  const slash = ipKey.indexOf('/');
  if (slash < 0) return parseIp(ipKey);
  const cidr = parseCidrOrIp(ipKey);
  return cidr ? parseIp(ipKey.slice(0, slash)) : null;
}
