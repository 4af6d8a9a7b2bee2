import type { PreparedBlocklist } from './blocklist-entries.js';
import type { BlocklistWriter, OutputResult } from './blocklist-output.js';

export interface MergedApply {
  prepared: PreparedBlocklist;
  results: OutputResult[];
}

/**
 * One set of outputs for two lists: the community list (from the puller) and the agent's own local
 * decisions. Either side calls in when it changed; the outputs always get the union, in one layout.
 * Writes are serialised: each starts after the previous one ended and renders the latest state, so a
 * slow `nft -f` never lets an older list overwrite a newer one.
 */
export class MergedOutputs {
  private community: string[] = [];
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly writer: Pick<BlocklistWriter, 'apply' | 'needsRetry'>,
    /** The local decisions to add (none in dry-run mode). */
    private readonly local: () => Iterable<string>,
  ) {}

  get needsRetry(): boolean {
    return this.writer.needsRetry;
  }

  /** Resolves once every write asked for so far has ended. */
  settled(): Promise<unknown> {
    return this.chain;
  }

  /** The community list changed (BlocklistPuller's writer interface). */
  apply(communityValues: Iterable<string>): Promise<MergedApply> {
    this.community = [...communityValues];
    return this.write();
  }

  /** The local decisions changed. */
  applyLocal(): Promise<MergedApply> {
    return this.write();
  }

  private write(): Promise<MergedApply> {
    const next = this.chain.then(() => this.writer.apply(this.union()));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private union(): string[] {
    const out = [...this.community];
    for (const ip of this.local()) out.push(ip);
    return out;
  }
}
