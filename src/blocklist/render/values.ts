import { parseAddressInto, type ParsedAddress } from '../../common/ip/address-words.js';
import { isoUtc } from './iso-time.js';
import { BlocklistRenderError, type BlocklistEntry } from './types.js';

// Hot-path globals are bound once: a global lookup is cheap in plain Node but costs ~0.2 µs
// inside a vm context such as Jest's, which would dominate a 100k-entry render there.
const { isFinite } = Number;

const scratch: ParsedAddress = { family: 4, w0: 0, w1: 0, w2: 0, w3: 0, prefix: 0 };

/** Every format refuses a bad value rather than skipping it: a consumer such as CrowdSec drops a
 * whole pull for one invalid line, and a value is written unescaped into firewall files. */
export function assertValue(entry: BlocklistEntry): void {
  if (!parseAddressInto(entry.value, scratch)) {
    throw new BlocklistRenderError(`not an IP address or CIDR: ${JSON.stringify(entry.value)}`);
  }
}

export function isoUntil(entry: BlocklistEntry): string {
  const time = entry.until.getTime();
  if (!isFinite(time)) {
    throw new BlocklistRenderError(`invalid until for ${entry.value}`);
  }
  return isoUtc(time);
}

/** Memoises a string transform: scenario classes and scopes repeat across thousands of rows. */
export function memo(transform: (input: string) => string): (input: string) => string {
  const cache = new Map<string, string>();
  return (input) => {
    let out = cache.get(input);
    if (out === undefined) {
      out = transform(input);
      cache.set(input, out);
    }
    return out;
  };
}
