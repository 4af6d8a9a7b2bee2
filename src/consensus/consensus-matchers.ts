import { CidrSet } from '../common/ip/cidr-set.js';
import { parseCidrOrIp } from '../common/ip/cidr.js';
import { parseIp } from '../common/ip/ip-address.js';
import { specialPurpose } from '../common/ip/special-purpose.js';
import type { NeverListRow } from './consensus.types.js';

/** The never-list sets and dark canaries as fast matchers over consensus keys (IPv4 text, IPv6 /64). */
export class ConsensusMatchers {
  private neverList: CidrSet<string> = CidrSet.build<string>([]);
  private canaries: CidrSet<true> = CidrSet.fromCidrs([]);

  load(neverList: NeverListRow[], canaries: string[]): void {
    this.neverList = CidrSet.build<string>(neverList.map((r) => [r.cidr, r.category] as [string, string]), () => undefined);
    this.canaries = CidrSet.fromCidrs(canaries, () => undefined);
  }

  /** Category that forbids listing, or null. Special-purpose space is always refused. */
  neverListCategory(ipKey: string): string | null {
    const ip = keyToIp(ipKey);
    if (!ip) return 'invalid';
    if (specialPurpose(ip)) return 'special-purpose';
    return this.neverList.match(ip) ?? null;
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
