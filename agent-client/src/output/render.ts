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
}

/**
 * An `nft -f` script that (re)declares the table and two interval sets, flushes them and adds every
 * element. `nft -f` applies a file as one transaction, so the sets are never seen half-filled. Rules
 * that drop traffic from the sets are the operator's (see the README).
 */
export function renderNftables(list: FamilySplit, o: NftablesOptions): string {
  const lines = [
    '#!/usr/sbin/nft -f',
    '# Quorum community blocklist, written by quorum-agent. Do not edit: the file is replaced on each update.',
    `table ${o.family} ${o.table} {`,
    `  set ${o.setV4} { type ipv4_addr; flags interval; auto-merge; }`,
    `  set ${o.setV6} { type ipv6_addr; flags interval; auto-merge; }`,
    '}',
    `flush set ${o.family} ${o.table} ${o.setV4}`,
    `flush set ${o.family} ${o.table} ${o.setV6}`,
  ];
  for (const [set, cidrs] of [[o.setV4, list.v4], [o.setV6, list.v6]] as const) {
    for (let i = 0; i < cidrs.length; i += ELEMENTS_PER_STATEMENT) {
      const chunk = cidrs.slice(i, i + ELEMENTS_PER_STATEMENT).map((c) => c.text);
      lines.push(`add element ${o.family} ${o.table} ${set} { ${chunk.join(', ')} }`);
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
