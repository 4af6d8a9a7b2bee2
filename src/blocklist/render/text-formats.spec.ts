import { CSV_HEADER, csvField, renderCsv } from './csv.js';
import { BLOCKLIST_FORMATS, isBlocklistFormat, renderBlocklist } from './index.js';
import { renderJson } from './json.js';
import { renderTxt } from './txt.js';
import { BlocklistRenderError, type BlocklistEntry, type RenderContext } from './types.js';

const now = new Date('2026-11-25T17:00:00.000Z');
const ctx: RenderContext = { version: 42, generatedAt: new Date('2026-11-25T16:59:58.250Z'), now };
const entries: BlocklistEntry[] = [
  { value: '192.0.2.1', scope: 'ip', scenarioClass: 'ssh-bruteforce', score: 9, until: new Date('2026-11-26T17:00:00.000Z') },
  { value: '2001:db8:1:2::/64', scope: 'range', scenarioClass: 'http "probing", deep\nscan', score: 5, until: new Date('2026-11-27T09:30:00.500Z') },
  { value: '198.51.100.0/24', scope: 'range', scenarioClass: 'ünïcode', score: 1, until: new Date('2026-11-25T16:00:00.000Z') },
];

/** Strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes, nothing lenient. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
      if (i === text.length) return rows;
      continue;
    }
    throw new Error(`expected , or CRLF at ${i}, got ${JSON.stringify(text.slice(i, i + 5))}`);
  }
}

describe('txt', () => {
  it('is one value per line and nothing else', () => {
    expect(renderTxt(entries, ctx).toString('utf8')).toBe('192.0.2.1\n2001:db8:1:2::/64\n198.51.100.0/24\n');
  });

  it('is empty for an empty list', () => {
    expect(renderTxt([], ctx).length).toBe(0);
  });
});

describe('csv', () => {
  it('quotes fields per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
  });

  it('has a header and one record per entry that a strict reader gets back exactly', () => {
    const rows = parseCsv(renderCsv(entries, ctx).toString('utf8'));
    expect(rows[0]).toEqual(CSV_HEADER.split(','));
    expect(rows.slice(1)).toEqual(
      entries.map((e) => [e.value, e.scope, e.scenarioClass, e.until.toISOString()]),
    );
  });

  it('is a header alone for an empty list', () => {
    expect(renderCsv([], ctx).toString('utf8')).toBe(`${CSV_HEADER}\r\n`);
  });
});

describe('json', () => {
  it('has the documented shape', () => {
    const parsed: unknown = JSON.parse(renderJson(entries, ctx).toString('utf8'));
    expect(parsed).toEqual({
      version: 42,
      generatedAt: '2026-11-25T16:59:58.250Z',
      count: 3,
      entries: entries.map((e) => ({ value: e.value, scope: e.scope, scenario: e.scenarioClass, until: e.until.toISOString() })),
    });
    expect(Object.keys(parsed as object)).toEqual(['version', 'generatedAt', 'count', 'entries']);
  });

  it('is valid for an empty list', () => {
    expect(JSON.parse(renderJson([], ctx).toString('utf8'))).toEqual({
      version: 42,
      generatedAt: '2026-11-25T16:59:58.250Z',
      count: 0,
      entries: [],
    });
  });

  it('stays valid across chunk boundaries', () => {
    const many: BlocklistEntry[] = [];
    for (let i = 0; i < 5000; i++) {
      many.push({ ...entries[i % 3], value: `10.${(i >> 8) & 255}.${i & 255}.1` });
    }
    const parsed = JSON.parse(renderJson(many, ctx).toString('utf8')) as { count: number; entries: { value: string }[] };
    expect(parsed.count).toBe(5000);
    expect(parsed.entries.map((e) => e.value)).toEqual(many.map((e) => e.value));
  });
});

describe('every format', () => {
  it.each(Object.keys(BLOCKLIST_FORMATS))('%s refuses a value that is not an IP or CIDR', (format) => {
    const bad = [...entries, { ...entries[0], value: '192.0.2.1\nflush ruleset' }];
    expect(isBlocklistFormat(format)).toBe(true);
    if (!isBlocklistFormat(format)) return;
    expect(() => renderBlocklist(format, bad, ctx)).toThrow(BlocklistRenderError);
  });

  it('recognises only the five format names', () => {
    expect(['json', 'txt', 'csv', 'nftables', 'ipset'].every(isBlocklistFormat)).toBe(true);
    expect(isBlocklistFormat('toString')).toBe(false);
    expect(isBlocklistFormat('xml')).toBe(false);
  });
});
