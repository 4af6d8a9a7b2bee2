import { ChunkedText } from './chunked-text.js';
import { collectFirewallElements, type FirewallElement } from './firewall-elements.js';
import { firewallBaseName, headerComment } from './names.js';
import { BlocklistRenderError, type BlocklistEntry, type RenderContext } from './types.js';

/** The kernel keeps ipset timeouts in 32-bit signed milliseconds: 2147483 s (24.8 days) at most. */
export const IPSET_MAX_TIMEOUT_SECONDS = 2_147_483;
/**
 * `create ... -exist` succeeds only when the existing set has the very same parameters, maxelem
 * included, so a maxelem that followed the list size would break the reload whenever the size
 * crossed a step. It is therefore a fixed ceiling (a limit only: memory follows the entries).
 */
export const DEFAULT_IPSET_MAXELEM = 1 << 20;

/**
 * A file for `ipset restore`, which is not transactional (it stops at the first failing line,
 * keeping what came before). Each family is filled into a temporary set that is then swapped with
 * the live one, so iptables rules matching the live set see either the old or the new list:
 *
 *   create quorum-v4 hash:net family inet timeout 0 maxelem 1048576 -exist
 *   destroy quorum-v4-tmp -exist                      (left over by an interrupted load)
 *   create quorum-v4-tmp hash:net family inet timeout 0 maxelem 1048576
 *   add quorum-v4-tmp 192.0.2.1 timeout 3599
 *   swap quorum-v4-tmp quorum-v4
 *   destroy quorum-v4-tmp
 *
 * (the same for `quorum-v6`, family inet6; both swaps come after both fills).
 */
export function renderIpset(entries: readonly BlocklistEntry[], ctx: RenderContext): Buffer {
  const base = firewallBaseName(ctx.setName);
  const elements = collectFirewallElements(entries, ctx.now, {
    maxTimeoutSeconds: IPSET_MAX_TIMEOUT_SECONDS,
    dropCovered: false,
  });
  const largest = Math.max(elements.v4.length, elements.v6.length);
  const maxElem = ctx.ipsetMaxElem ?? Math.max(DEFAULT_IPSET_MAXELEM, nextPowerOfTwo(largest));
  if (!Number.isSafeInteger(maxElem) || maxElem < largest || maxElem > 0xffffffff) {
    throw new BlocklistRenderError(`ipset maxelem ${maxElem} cannot hold ${largest} elements`);
  }
  const families = [
    { name: `${base}-v4`, family: 'inet', elements: elements.v4 },
    { name: `${base}-v6`, family: 'inet6', elements: elements.v6 },
  ];

  const out = new ChunkedText();
  out.push(headerComment(ctx.version, ctx.generatedAt, entries.length));
  out.push(`# ${elements.v4.length} IPv4 and ${elements.v6.length} IPv6 elements; load with: ipset restore -f FILE\n`);
  for (const f of families) {
    const options = `hash:net family ${f.family} timeout 0 maxelem ${maxElem}`;
    out.push(`create ${f.name} ${options} -exist\n`);
    out.push(`destroy ${f.name}-tmp -exist\n`);
    out.push(`create ${f.name}-tmp ${options}\n`);
  }
  for (const f of families) pushAdds(out, `${f.name}-tmp`, f.elements);
  for (const f of families) out.push(`swap ${f.name}-tmp ${f.name}\n`);
  for (const f of families) out.push(`destroy ${f.name}-tmp\n`);
  return out.toBuffer();
}

function pushAdds(out: ChunkedText, set: string, elements: readonly FirewallElement[]): void {
  const prefix = `add ${set} `;
  let batch = '';
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i];
    batch += `${prefix}${e.value} timeout ${e.timeoutSeconds}\n`;
    if ((i & 1023) === 1023) {
      out.push(batch);
      batch = '';
    }
  }
  if (batch.length > 0) out.push(batch);
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
