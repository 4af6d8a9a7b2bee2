import type { Cidr } from '../net/cidr.js';

export interface FamilySplit {
  v4: readonly Cidr[];
  v6: readonly Cidr[];
}

const ELEMENTS_PER_STATEMENT = 1000;

/** One address or CIDR per line. */
export function renderText(list: FamilySplit): string {
  const lines = [...list.v4, ...list.v6].map((c) => c.text);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

export interface NftablesOptions {
  family: 'inet' | 'ip' | 'ip6' | 'bridge' | 'netdev';
  table: string;
  setV4: string;
  setV6: string;
  /** Chains of the table that drop traffic from the sets (none for the bridge and netdev families). */
  hooks?: readonly ('input' | 'forward')[];
}

/**
 * An `nft -f` script in the layout the service's `GET /v1/blocklist?format=nftables` uses
 * (src/blocklist/render/nftables.ts): a table of its own holding two interval sets and, for each hook,
 * a base chain at priority `filter - 10` that drops their sources. Declarations are no-ops when the
 * objects exist; then the chains and sets are flushed and refilled. `nft -f` applies the file as one
 * transaction, so packets never see a half-loaded list. Rules other tools add to other chains of the
 * table survive. The agent expires entries itself (it rewrites the file), so elements carry no timeout.
 */
export function renderNftables(list: FamilySplit, o: NftablesOptions): string {
  const rules: string[] = [];
  if (o.family === 'inet' || o.family === 'ip') rules.push(`ip saddr @${o.setV4} counter drop`);
  if (o.family === 'inet' || o.family === 'ip6') rules.push(`ip6 saddr @${o.setV6} counter drop`);
  const hooks = rules.length === 0 ? [] : [...new Set(o.hooks ?? ['input'])];
  const t = `${o.family} ${o.table}`;
  const lines = [
    '#!/usr/sbin/nft -f',
    '# Quorum blocklist (community list and this agent\'s own decisions), written by quorum-agent. Do not edit: the file is replaced on each update.',
    `table ${t} {`,
    `\tset ${o.setV4} {\n\t\ttype ipv4_addr\n\t\tflags interval, timeout\n\t}`,
    `\tset ${o.setV6} {\n\t\ttype ipv6_addr\n\t\tflags interval, timeout\n\t}`,
    ...hooks.map((h) => `\tchain ${h} {\n\t\ttype filter hook ${h} priority filter - 10; policy accept;\n\t}`),
    '}',
  ];
  for (const h of hooks) lines.push(`flush chain ${t} ${h}`, ...rules.map((r) => `add rule ${t} ${h} ${r}`));
  lines.push(`flush set ${t} ${o.setV4}`, `flush set ${t} ${o.setV6}`);
  for (const [set, cidrs] of [[o.setV4, list.v4], [o.setV6, list.v6]] as const) {
    for (let i = 0; i < cidrs.length; i += ELEMENTS_PER_STATEMENT) {
      const chunk = cidrs.slice(i, i + ELEMENTS_PER_STATEMENT).map((c) => c.text);
      lines.push(`add element ${t} ${set} { ${chunk.join(', ')} }`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface IpsetOptions {
  setV4: string;
  setV6: string;
  /**
   * Fixed on purpose: `create -exist` fails when an existing set has other parameters, and after a
   * swap the live set carries the temporary set's maxelem, so the value must not vary with the count.
   */
  maxElem: number;
}

/**
 * An `ipset restore` file: fill a temporary set, then swap it with the live one, so the live set is
 * replaced in one step; `-exist` makes the creates idempotent.
 */
export function renderIpset(list: FamilySplit, o: IpsetOptions): string {
  const lines = ['# Quorum community blocklist, written by quorum-agent. Load with: ipset restore -file <this file>'];
  for (const [set, family, cidrs] of [[o.setV4, 'inet', list.v4], [o.setV6, 'inet6', list.v6]] as const) {
    const tmp = `${set}-tmp`;
    if (cidrs.length > o.maxElem) throw new RangeError(`${cidrs.length} entries exceed ipset maxelem ${o.maxElem} for ${set}`);
    const size = o.maxElem;
    lines.push(`create ${set} hash:net family ${family} hashsize 1024 maxelem ${size} -exist`);
    lines.push(`create ${tmp} hash:net family ${family} hashsize 1024 maxelem ${size} -exist`);
    lines.push(`flush ${tmp}`);
    for (const c of cidrs) lines.push(`add ${tmp} ${c.text}`);
    lines.push(`swap ${tmp} ${set}`, `destroy ${tmp}`);
  }
  return `${lines.join('\n')}\n`;
}
