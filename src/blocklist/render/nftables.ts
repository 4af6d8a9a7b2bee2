import { ChunkedText } from './chunked-text.js';
import { collectFirewallElements, type FirewallElement } from './firewall-elements.js';
import { firewallBaseName, headerComment } from './names.js';
import { BlocklistRenderError, type BlocklistEntry, type NftHook, type RenderContext } from './types.js';

/** nft parses timeouts into 32-bit milliseconds: 4294967 s (49.7 days) is the largest it takes. */
export const NFT_MAX_TIMEOUT_SECONDS = 4_294_967;
/** Elements per `add element` statement: keeps each statement and nft's error messages small. */
export const NFT_ELEMENTS_PER_STATEMENT = 1000;

/**
 * A file for `nft -f`, which applies it as one transaction. The table, sets and chains are
 * declared (a no-op when they exist), then the chains and sets are flushed and refilled: rules a
 * user added to other chains of the table keep working, and packets never see a half-loaded list.
 *
 *   table inet quorum { set quorum_v4 {...}  set quorum_v6 {...}  chain input {...} }
 *   flush chain inet quorum input
 *   add rule inet quorum input ip saddr @quorum_v4 counter drop
 *   add rule inet quorum input ip6 saddr @quorum_v6 counter drop
 *   flush set inet quorum quorum_v4
 *   flush set inet quorum quorum_v6
 *   add element inet quorum quorum_v4 {
 *   	192.0.2.1 timeout 3599s,
 *   	198.51.100.0/24 timeout 86399s
 *   }
 */
export function renderNftables(entries: readonly BlocklistEntry[], ctx: RenderContext): Buffer {
  const table = firewallBaseName(ctx.setName);
  const hooks: readonly NftHook[] = [...new Set<NftHook>(ctx.nftHooks ?? ['input'])];
  for (const hook of hooks) {
    if (hook !== 'input' && hook !== 'forward') {
      throw new BlocklistRenderError(`unsupported nftables hook: ${JSON.stringify(hook)}`);
    }
  }
  const sets = { v4: `${table}_v4`, v6: `${table}_v6` };
  const elements = collectFirewallElements(entries, ctx.now, {
    maxTimeoutSeconds: NFT_MAX_TIMEOUT_SECONDS,
    dropCovered: true,
  });

  const out = new ChunkedText();
  out.push('#!/usr/sbin/nft -f\n');
  out.push(headerComment(ctx.version, ctx.generatedAt, entries.length));
  out.push(
    `# ${elements.v4.length} IPv4 and ${elements.v6.length} IPv6 elements; ` +
      `loading this file replaces the previous contents of both sets atomically.\n`,
  );
  out.push(`table inet ${table} {\n`);
  out.push(`\tset ${sets.v4} {\n\t\ttype ipv4_addr\n\t\tflags interval, timeout\n\t}\n`);
  out.push(`\tset ${sets.v6} {\n\t\ttype ipv6_addr\n\t\tflags interval, timeout\n\t}\n`);
  for (const hook of hooks) {
    out.push(`\tchain ${hook} {\n\t\ttype filter hook ${hook} priority filter - 10; policy accept;\n\t}\n`);
  }
  out.push('}\n');
  for (const hook of hooks) {
    out.push(`flush chain inet ${table} ${hook}\n`);
    out.push(`add rule inet ${table} ${hook} ip saddr @${sets.v4} counter drop\n`);
    out.push(`add rule inet ${table} ${hook} ip6 saddr @${sets.v6} counter drop\n`);
  }
  out.push(`flush set inet ${table} ${sets.v4}\n`);
  out.push(`flush set inet ${table} ${sets.v6}\n`);
  pushElements(out, `add element inet ${table} ${sets.v4} {\n`, elements.v4);
  pushElements(out, `add element inet ${table} ${sets.v6} {\n`, elements.v6);
  return out.toBuffer();
}

function pushElements(out: ChunkedText, opening: string, elements: readonly FirewallElement[]): void {
  for (let start = 0; start < elements.length; start += NFT_ELEMENTS_PER_STATEMENT) {
    const end = Math.min(start + NFT_ELEMENTS_PER_STATEMENT, elements.length);
    let statement = opening;
    for (let i = start; i < end; i++) {
      const e = elements[i];
      statement += `\t${e.value} timeout ${e.timeoutSeconds}s${i + 1 < end ? ',\n' : '\n'}`;
    }
    out.push(statement + '}\n');
  }
}
