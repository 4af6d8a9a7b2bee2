import { MAX_JSON_DEPTH, scanJsonShape } from './json-shape.js';
import { findUnstorableText, isStorableText } from './storable-text.js';
import { EVENT_TIME_WINDOW, parseRfc3339, timestampProblem } from './timestamp-window.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('scanJsonShape', () => {
  it('measures depth and values, ignoring brackets, commas and escaped quotes inside strings', () => {
    expect(scanJsonShape(bytes('{"a":[1,2,{"b":"[[[,,,\\"]]]"}]}'))).toEqual({ depth: 3, values: 3 });
    expect(scanJsonShape(bytes('"é[ü{"'))).toEqual({ depth: 0, values: 1 });
    // an escaped backslash right before the closing quote, then structure after the string
    expect(scanJsonShape(bytes('{"a":"x\\\\","b":[[1,2]]}'))).toEqual({ depth: 3, values: 3 });
    expect(scanJsonShape(bytes('{"a":"x\\"[[[","b":[1]}'))).toEqual({ depth: 2, values: 2 });
    expect(scanJsonShape(bytes('[["unterminated [[[['))).toEqual({ depth: 2, values: 1 });
  });

  it('stops early past the bound on 100,000 levels without recursion', () => {
    const deep = bytes(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(scanJsonShape(deep).depth).toBe(MAX_JSON_DEPTH + 1);
    expect(scanJsonShape(deep, 1_000_000).depth).toBe(100_000);
  });
});

describe('storable text', () => {
  it('refuses NUL and unpaired surrogates, keeps pairs', () => {
    expect(isStorableText('abc\u00e9\ud83d\ude00')).toBe(true);
    for (const bad of ['\u0000', 'a\ud800', '\udc00b', '\ude00\ud83d']) expect(isStorableText(bad)).toBe(false);
  });

  it('finds the path of the first bad string or key, on any depth', () => {
    expect(findUnstorableText({ a: [{ b: 'ok' }, { c: 'x\u0000' }] }, 'body')).toBe('body.a.1.c');
    expect(findUnstorableText({ a: { 'k\ud800': 1 } })).toBe('a.<key>');
    expect(findUnstorableText({ a: [1, true, null, 'fine'] })).toBeNull();
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorableText(deep)).toMatch(/^(0\.){99999}0$/);
  });
});

describe('timestamp window', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');

  it('parses strict RFC 3339 with offsets and nanoseconds, refusing impossible calendar values', () => {
    expect(parseRfc3339('2026-11-25T15:48:40.070884694Z')).toBe(Date.parse('2026-11-25T15:48:40.070Z'));
    expect(parseRfc3339('2026-11-25T16:48:40+01:00')).toBe(Date.parse('2026-11-25T15:48:40Z'));
    for (const bad of ['2026-02-30T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:00:00+24:00', '2026-01-01', '2026-01-01 00:00:00Z', ' 2026-01-01T00:00:00Z']) {
      expect(parseRfc3339(bad)).toBeNull();
    }
  });

  it('F13: refuses year 0001, 9999 and anything beyond a year back or a day ahead', () => {
    for (const bad of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2025-12-01T00:00:00Z', '2026-12-08T12:00:01Z']) {
      expect(timestampProblem(bad, now)).toEqual({ problem: expect.stringContaining('between') });
    }
    expect(timestampProblem('2026-12-08T11:59:59Z', now)).toEqual({ parsed: now + EVENT_TIME_WINDOW.maxFutureMs - 1_000 });
    expect(timestampProblem('2025-12-07T12:00:00Z', now)).toEqual({ parsed: Date.parse('2025-12-07T12:00:00Z') });
    expect(timestampProblem(1764000000000, now)).toEqual({ problem: expect.stringContaining('RFC 3339') });
  });
});
