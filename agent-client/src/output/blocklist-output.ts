import { readFile } from 'node:fs/promises';

import type { IpRange } from '../net/cidr.js';
import { writeFileAtomic } from './atomic-write.js';
import { prepareBlocklist, type PreparedBlocklist } from './blocklist-entries.js';
import { type HookResult, hookSucceeded, runHook } from './exec-hook.js';
import { type FamilySplit, type IpsetOptions, type NftablesOptions, renderIpset, renderNftables, renderText } from './render.js';

export type OutputFormat = 'nftables' | 'ipset' | 'text';

/** Where and how one rendering of the blocklist is written, and what runs after it changes. */
export interface OutputSpec {
  type: 'nftables' | 'ipset' | 'text' | 'exec';
  format: OutputFormat;
  path: string;
  /** argv run after the file changed, with the file path appended (required for type "exec"). */
  command?: string[];
  timeoutMs: number;
  mode: number;
  nftables: NftablesOptions;
  ipset: IpsetOptions;
}

export interface OutputResult {
  path: string;
  changed: boolean;
  entries: number;
  hook?: HookResult;
  error?: string;
}

export function renderOutput(spec: OutputSpec, list: FamilySplit): string {
  switch (spec.format) {
    case 'nftables':
      return renderNftables(list, spec.nftables);
    case 'ipset':
      return renderIpset(list, spec.ipset);
    case 'text':
      return renderText(list);
  }
}

async function currentContent(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Applies the local allowlist, renders every output, replaces each file atomically when its content
 * changed and then runs its command. One failing output does not stop the others, and an output whose
 * write or command failed is redone on the next apply even if the list did not change.
 */
export class BlocklistWriter {
  private readonly retry = new Set<string>();

  constructor(
    private readonly outputs: readonly OutputSpec[],
    private readonly allowlist: readonly IpRange[],
  ) {}

  /** Some output failed last time and must be redone even if the list does not change. */
  get needsRetry(): boolean {
    return this.retry.size > 0;
  }

  async apply(values: Iterable<string>): Promise<{ prepared: PreparedBlocklist; results: OutputResult[] }> {
    const prepared = prepareBlocklist(values, this.allowlist);
    const entries = prepared.v4.length + prepared.v6.length;
    const results: OutputResult[] = [];
    for (const spec of this.outputs) {
      const result: OutputResult = { path: spec.path, changed: false, entries };
      try {
        const text = renderOutput(spec, prepared);
        result.changed = this.retry.has(spec.path) || (await currentContent(spec.path)) !== text;
        if (result.changed) {
          this.retry.add(spec.path);
          await writeFileAtomic(spec.path, text, spec.mode);
          if (spec.command && spec.command.length > 0) result.hook = await runHook(spec.command, [spec.path], spec.timeoutMs);
          if (!result.hook || hookSucceeded(result.hook)) this.retry.delete(spec.path);
        }
      } catch (e) {
        result.error = (e as Error).message;
      }
      results.push(result);
    }
    return { prepared, results };
  }
}
