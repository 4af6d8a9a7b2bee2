import { BlocklistRenderError } from './types.js';

export const DEFAULT_SET_NAME = 'quorum';

/**
 * Letters, digits and `_`, starting with a letter, at most 24 characters: valid as an nftables
 * identifier and, with ipset's `-v4-tmp` suffix, within ipset's 31-character limit. The name is
 * written into firewall files verbatim, so anything else is refused rather than escaped.
 */
export function firewallBaseName(setName: string | undefined): string {
  const name = setName ?? DEFAULT_SET_NAME;
  if (name.length === 0 || name.length > 24) {
    throw new BlocklistRenderError(`set name must be 1-24 characters: ${JSON.stringify(name)}`);
  }
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    const ok = letter || (i > 0 && ((c >= 48 && c <= 57) || c === 95));
    if (!ok) {
      throw new BlocklistRenderError(`set name must match [A-Za-z][A-Za-z0-9_]*: ${JSON.stringify(name)}`);
    }
  }
  return name;
}

/** Header comment shared by the firewall formats (both tools accept `#` comment lines). */
export function headerComment(version: number, generatedAt: Date, count: number): string {
  return `# Quorum blocklist version ${version}, generated ${generatedAt.toISOString()}, ${count} entries\n`;
}
