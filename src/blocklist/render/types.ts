export type BlocklistScope = 'ip' | 'range';

export interface BlocklistEntry {
  /** An IP address or a CIDR (IPv6 entries are usually /64 networks). */
  value: string;
  scope: BlocklistScope;
  scenarioClass: string;
  score: number;
  until: Date;
  addedInVersion?: number;
}

export type BlocklistFormat = 'json' | 'txt' | 'csv' | 'nftables' | 'ipset';

/** Netfilter hooks that the nftables file attaches a drop chain to. */
export type NftHook = 'input' | 'forward';

export interface RenderContext {
  version: number;
  generatedAt: Date;
  /** Firewall formats turn `until` into timeouts relative to this instant. */
  now: Date;
  /**
   * Base name of the firewall objects: the nftables table (`inet <name>`, sets `<name>_v4` and
   * `<name>_v6`) and the ipset sets (`<name>-v4`, `<name>-v6`). Default `quorum`.
   */
  setName?: string;
  /** nftables only: hooks that get a chain dropping traffic from both sets. Default ['input'];
   * [] renders the sets alone, for users who reference them from their own rules in the table. */
  nftHooks?: readonly NftHook[];
  /** ipset only: `maxelem` of the sets; see ipset.ts for why it is fixed rather than tight. */
  ipsetMaxElem?: number;
}

export class BlocklistRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlocklistRenderError';
  }
}
