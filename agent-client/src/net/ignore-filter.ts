import { CidrMatcher, type Cidr, parseCidrList } from './cidr.js';
import { parseAddress } from './ip.js';
import { ownAddresses, privateRanges } from './local-addresses.js';

export interface IgnoreOptions {
  allowlist: readonly string[];
  ignorePrivateAddresses: boolean;
  /** The host's own addresses; taken from the network interfaces when not given. */
  own?: readonly Cidr[];
}

/** Never-report / never-block ranges: own addresses, the configured allowlist, private ranges. */
export function ignoredRanges(o: IgnoreOptions): Cidr[] {
  const { cidrs, invalid } = parseCidrList(o.allowlist);
  if (invalid.length > 0) throw new Error(`allowlist: not IPs or CIDRs: ${invalid.join(', ')}`);
  return [...(o.own ?? ownAddresses()), ...cidrs, ...(o.ignorePrivateAddresses ? privateRanges() : [])];
}

/** A predicate on canonical IP text; anything that does not parse is ignored too. */
export function ignoreFilter(ranges: readonly Cidr[]): (ip: string) => boolean {
  const matcher = new CidrMatcher(ranges);
  return (ip) => {
    const a = parseAddress(ip);
    return a === null || matcher.contains(a);
  };
}
