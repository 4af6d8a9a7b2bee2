import { isAbsolute, join, resolve } from 'node:path';

import type { OutputFormat, OutputSpec } from './output/blocklist-output.js';
import type { NftablesOptions } from './output/render.js';
import { asObject, checkKeys, Issues, readDuration, readNumber, readString, readStringArray } from './util/json-check.js';

const NFT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
// ipset names are at most 31 characters, and "-tmp" is appended for the swap
const IPSET_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,26}$/;
const OUTPUT_TYPES = ['nftables', 'ipset', 'text', 'exec'] as const;
const DEFAULT_FILE: Record<OutputFormat, string> = { nftables: 'blocklist.nft', ipset: 'blocklist.ipset', text: 'blocklist.txt' };

export function readOutputs(v: unknown, base: string, stateDir: string, issues: Issues): OutputSpec[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    issues.add('outputs', 'expected an array');
    return [];
  }
  const out: OutputSpec[] = [];
  v.forEach((item, i) => {
    const spec = readOutput(item, `outputs[${i}]`, base, stateDir, issues);
    if (spec) out.push(spec);
  });
  const paths = out.map((o) => o.path);
  paths.forEach((p, i) => paths.indexOf(p) !== i && issues.add('outputs', `${p} is written by two outputs`));
  return out;
}

function readOutput(item: unknown, at: string, base: string, stateDir: string, issues: Issues): OutputSpec | null {
  const o = asObject(item, at, issues);
  if (!o) return null;
  checkKeys(o, ['type', 'path', 'format', 'command', 'timeout', 'mode', 'family', 'table', 'setV4', 'setV6', 'hooks', 'maxElem'], at, issues);
  const type = readString(o, 'type', at, issues, { required: true, oneOf: OUTPUT_TYPES }) as OutputSpec['type'] | undefined;
  if (type === undefined) return null;
  const format: OutputFormat = type === 'exec' ? ((readString(o, 'format', at, issues, { oneOf: ['nftables', 'ipset', 'text'] }) as OutputFormat | undefined) ?? 'text') : type;
  if (type !== 'exec' && o.format !== undefined) issues.add(`${at}.format`, 'only for type "exec" (the other types are their format)');
  const path = readString(o, 'path', at, issues, { nonEmpty: true });
  const command = readStringArray(o, 'command', at, issues, { required: type === 'exec' });
  if (command !== undefined && (command.length === 0 || command[0] === '')) issues.add(`${at}.command`, 'expected a program and its arguments, e.g. ["/usr/sbin/nft", "-f"]');
  const modeText = readString(o, 'mode', at, issues, { pattern: /^0?[0-7]{3}$/ });
  const setKeys = format === 'nftables' ? ['family', 'table', 'setV4', 'setV6', 'hooks'] : format === 'ipset' ? ['setV4', 'setV6', 'maxElem'] : [];
  for (const key of ['family', 'table', 'setV4', 'setV6', 'hooks', 'maxElem']) {
    if (o[key] !== undefined && !setKeys.includes(key)) issues.add(`${at}.${key}`, `not used by the ${format} format`);
  }
  const nameRule = format === 'ipset' ? IPSET_NAME : NFT_NAME;
  const setV4 = readString(o, 'setV4', at, issues, { pattern: nameRule });
  const setV6 = readString(o, 'setV6', at, issues, { pattern: nameRule });
  const hooks = readStringArray(o, 'hooks', at, issues);
  if (hooks !== undefined && (hooks.length === 0 || !hooks.every((h) => h === 'input' || h === 'forward'))) issues.add(`${at}.hooks`, 'expected a non-empty array of "input" / "forward"');
  return {
    type,
    format,
    path: path === undefined ? join(stateDir, DEFAULT_FILE[format]) : isAbsolute(path) ? path : resolve(base, path),
    command,
    timeoutMs: readDuration(o, 'timeout', at, issues, { minMs: 100 }) ?? 30_000,
    mode: modeText === undefined ? 0o644 : parseInt(modeText, 8),
    nftables: {
      family: (readString(o, 'family', at, issues, { oneOf: ['inet', 'ip', 'ip6', 'bridge', 'netdev'] }) ?? 'inet') as NftablesOptions['family'],
      table: readString(o, 'table', at, issues, { pattern: NFT_NAME }) ?? 'quorum',
      setV4: format === 'nftables' ? (setV4 ?? 'quorum_v4') : 'quorum_v4',
      setV6: format === 'nftables' ? (setV6 ?? 'quorum_v6') : 'quorum_v6',
      hooks: (hooks ?? ['input']) as ('input' | 'forward')[],
    },
    ipset: {
      setV4: format === 'ipset' ? (setV4 ?? 'quorum-v4') : 'quorum-v4',
      setV6: format === 'ipset' ? (setV6 ?? 'quorum-v6') : 'quorum-v6',
      maxElem: readNumber(o, 'maxElem', at, issues, { integer: true, min: 1024, max: 1 << 28 }) ?? 1 << 20,
    },
  };
}
