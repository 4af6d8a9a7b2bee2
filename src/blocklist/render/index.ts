import { renderCsv } from './csv.js';
import { renderIpset } from './ipset.js';
import { renderJson } from './json.js';
import { renderNftables } from './nftables.js';
import { renderTxt } from './txt.js';
import type { BlocklistEntry, BlocklistFormat, RenderContext } from './types.js';

export interface FormatInfo {
  contentType: string;
  /** File extension for a `Content-Disposition` file name. */
  extension: string;
  render(entries: readonly BlocklistEntry[], ctx: RenderContext): Buffer;
}

export const BLOCKLIST_FORMATS: Readonly<Record<BlocklistFormat, FormatInfo>> = {
  json: { contentType: 'application/json; charset=utf-8', extension: 'json', render: renderJson },
  txt: { contentType: 'text/plain; charset=utf-8', extension: 'txt', render: renderTxt },
  csv: { contentType: 'text/csv; charset=utf-8; header=present', extension: 'csv', render: renderCsv },
  nftables: { contentType: 'text/plain; charset=utf-8', extension: 'nft', render: renderNftables },
  ipset: { contentType: 'text/plain; charset=utf-8', extension: 'ipset', render: renderIpset },
};

export function isBlocklistFormat(value: unknown): value is BlocklistFormat {
  return typeof value === 'string' && Object.hasOwn(BLOCKLIST_FORMATS, value);
}

export function renderBlocklist(
  format: BlocklistFormat,
  entries: readonly BlocklistEntry[],
  ctx: RenderContext,
): Buffer {
  return BLOCKLIST_FORMATS[format].render(entries, ctx);
}

export { BlocklistRenderError } from './types.js';
export type { BlocklistEntry, BlocklistFormat, BlocklistScope, NftHook, RenderContext } from './types.js';
