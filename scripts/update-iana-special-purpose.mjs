#!/usr/bin/env node
// Regenerates data/iana-special-purpose.json from IANA's special-purpose registry CSV files.
// Usage:
//   node scripts/update-iana-special-purpose.mjs --ipv4 iana-ipv4-special-registry-1.csv \
//     --ipv6 iana-ipv6-special-registry-1.csv [--ipv4-updated YYYY-MM-DD] [--ipv6-updated YYYY-MM-DD] \
//     [--as-of YYYY-MM-DD] [--out data/iana-special-purpose.json]
// The CSVs carry no "last updated" date: pass the one shown on each registry page. The `extra`
// section (multicast, IPv6 space reserved by the IETF) and the source URLs are kept from the
// existing output file.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import process from 'node:process';

const HEADER = [
  'Address Block', 'Name', 'RFC', 'Allocation Date', 'Termination Date',
  'Source', 'Destination', 'Forwardable', 'Globally Reachable', 'Reserved-by-Protocol',
];

/** RFC 4180 CSV: quoted cells may hold commas, doubled quotes and line breaks. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); cell = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else cell += c;
  }
  if (quoted) throw new Error('unterminated quoted cell');
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

const clean = (s) => s.replace(/\s+/g, ' ').trim();
const stripFootnotes = (s) => clean(s.replace(/\[\d+\]/g, ' '));

function flag(cell, where) {
  const v = stripFootnotes(cell);
  if (v === 'True') return true;
  if (v === 'False') return false;
  if (v === 'N/A' || v === '') return null;
  throw new Error(`${where}: unexpected flag value ${JSON.stringify(cell)}`);
}

export function registryEntries(csvText, version) {
  const rows = parseCsv(csvText);
  const header = rows.shift()?.map(clean);
  if (JSON.stringify(header) !== JSON.stringify(HEADER)) {
    throw new Error(`unexpected IPv${version} header: ${JSON.stringify(header)}`);
  }
  const entries = [];
  for (const [n, row] of rows.entries()) {
    const where = `IPv${version} row ${n + 2}`;
    if (row.length !== HEADER.length) throw new Error(`${where}: ${row.length} cells`);
    const [block, name, rfc, allocated, terminated, src, dst, fwd, global, reserved] = row;
    for (const cidr of stripFootnotes(block).split(',').map(clean).filter(Boolean)) {
      if (!/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(cidr) || cidr.includes(':') !== (version === 6)) {
        throw new Error(`${where}: bad address block ${JSON.stringify(cidr)}`);
      }
      const termination = clean(terminated);
      entries.push({
        cidr: cidr.toLowerCase(),
        name: clean(name),
        rfc: clean(rfc),
        allocationDate: clean(allocated),
        terminationDate: termination === 'N/A' || termination === '' ? null : termination,
        source: flag(src, where),
        destination: flag(dst, where),
        forwardable: flag(fwd, where),
        globallyReachable: flag(global, where),
        reservedByProtocol: flag(reserved, where),
      });
    }
  }
  return entries;
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    if (!key.startsWith('--') || argv[i + 1] === undefined) throw new Error(`bad argument ${key}`);
    args[key.slice(2)] = argv[i + 1];
  }
  return args;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!args.ipv4 || !args.ipv6) {
    process.stderr.write('usage: update-iana-special-purpose.mjs --ipv4 FILE.csv --ipv6 FILE.csv [--ipv4-updated DATE] [--ipv6-updated DATE] [--as-of DATE] [--out FILE]\n');
    process.exit(2);
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const out = resolve(args.out ?? resolve(root, 'data/iana-special-purpose.json'));
  const previous = JSON.parse(readFileSync(out, 'utf8'));
  const next = {
    ...previous,
    asOf: args['as-of'] ?? new Date().toISOString().slice(0, 10),
    ipv4: {
      ...previous.ipv4,
      ...(args['ipv4-updated'] ? { lastUpdated: args['ipv4-updated'], lastUpdatedPrecision: 'day' } : {}),
      entries: registryEntries(readFileSync(args.ipv4, 'utf8'), 4),
    },
    ipv6: {
      ...previous.ipv6,
      ...(args['ipv6-updated'] ? { lastUpdated: args['ipv6-updated'], lastUpdatedPrecision: 'day' } : {}),
      entries: registryEntries(readFileSync(args.ipv6, 'utf8'), 6),
    },
  };
  writeFileSync(out, `${JSON.stringify(next, null, 2)}\n`);
  process.stdout.write(`wrote ${out}: ${next.ipv4.entries.length} IPv4 and ${next.ipv6.entries.length} IPv6 entries\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
