import { parseCidrOrIp } from '../../common/ip/cidr.js';

export interface ParsedRangeFile {
  cidrs: string[];
  invalid: string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const PREFIX_KEYS = ['ipv4Prefix', 'ipv6Prefix', 'ip_prefix', 'ipv6_prefix', 'prefix', 'cidr'];

/**
 * Reads the range files providers publish: JSON documents with `prefixes` arrays (Google's crawler
 * and cloud files, bingbot.json: `ipv4Prefix`/`ipv6Prefix`; AWS ip-ranges.json: `ip_prefix`/`ipv6_prefix`
 * with a `service`), or plain text with one CIDR or address per line (`#` comments allowed).
 * `service` keeps only AWS-style entries of that service (e.g. ROUTE53_HEALTHCHECKS).
 */
export function parseRangeFile(text: string, options: { service?: string } = {}): ParsedRangeFile {
  const trimmed = text.trimStart();
  const raw: string[] = trimmed.startsWith('{') || trimmed.startsWith('[') ? fromJson(JSON.parse(text) as Json, options.service) : fromLines(text);
  const cidrs = new Set<string>();
  const invalid: string[] = [];
  for (const value of raw) {
    const parsed = parseCidrOrIp(value.trim());
    if (!parsed || parsed.prefix === 0) invalid.push(value);
    else cidrs.add(parsed.text);
  }
  return { cidrs: [...cidrs].sort(), invalid };
}

function fromLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.length > 0);
}

function fromJson(doc: Json, service: string | undefined): string[] {
  const out: string[] = [];
  const visit = (node: Json): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== 'object') {
      if (typeof node === 'string' && /^[0-9a-fA-F:.]+\/\d{1,3}$/.test(node)) out.push(node);
      return;
    }
    const hasPrefix = PREFIX_KEYS.some((k) => typeof node[k] === 'string');
    if (hasPrefix) {
      if (service !== undefined && node.service !== service) return;
      for (const key of PREFIX_KEYS) if (typeof node[key] === 'string') out.push(node[key] as string);
      return;
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(doc);
  return out;
}
