import { formatGoDuration, parseGoDuration, remainingGoDuration } from './durations.js';

describe('formatGoDuration', () => {
  it.each([
    [1000, '1s'],
    [59_999, '59s'],
    [60_000, '1m0s'],
    [61_000, '1m1s'],
    [3_600_000, '1h0m0s'],
    [4 * 3_600_000, '4h0m0s'],
    [96 * 3_600_000 - 1, '95h59m59s'],
    [96 * 3_600_000, '96h0m0s'],
    [400 * 86_400_000, '9600h0m0s'],
    [3_599_999, '59m59s'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });

  it.each([0, 999, -1, -86_400_000, Number.NaN, Number.NEGATIVE_INFINITY])('is at least 1s (for %d ms)', (ms) => {
    expect(formatGoDuration(ms)).toBe('1s');
  });

  it("caps at Go's largest duration", () => {
    expect(formatGoDuration(Number.POSITIVE_INFINITY)).toBe('2562047h47m16s');
    expect(parseGoDuration('2562047h47m16s')).toBe(9_223_372_036_000);
  });

  it('only ever uses h, m and s, and round-trips to whole seconds', () => {
    let seed = 11;
    for (let n = 0; n < 2000; n++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const ms = seed * 61.7;
      const text = formatGoDuration(ms);
      expect(text).toMatch(/^(?:[1-9]\d*h(?:[0-5]?\d)m(?:[0-5]?\d)s|[1-5]?\dm(?:[0-5]?\d)s|[1-5]?\ds)$/);
      expect(parseGoDuration(text)).toBe(Math.max(1000, Math.floor(ms / 1000) * 1000));
    }
  });

  it('gives the remaining time between two instants', () => {
    const now = new Date('2026-11-25T17:00:00.000Z');
    expect(remainingGoDuration(new Date('2026-11-26T16:59:59.900Z'), now)).toBe('23h59m59s');
    expect(remainingGoDuration(new Date('2026-11-25T16:00:00.000Z'), now)).toBe('1s');
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['0', 0],
    ['-0', 0],
    ['4h', 14_400_000],
    ['24h', 86_400_000],
    ['167h59m', 604_740_000],
    ['90m', 5_400_000],
    ['1h0m0s', 3_600_000],
    ['+5s', 5000],
    ['-1.5h', -5_400_000],
    ['.5s', 500],
    ['5.s', 5000],
    ['300ms', 300],
    ['2h45m', 9_900_000],
    ['1h2m3s4ms', 3_723_004],
    ['1500us', 1.5],
    ['1500µs', 1.5],
    ['1500μs', 1.5],
    ['2000000ns', 2],
  ])('%s -> %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 9);
  });

  it('reads the nanosecond durations of CrowdSec 1.4.6', () => {
    expect(parseGoDuration('23h59m41.770944302s')).toBeCloseTo(86_381_770.944302, 6);
  });

  it.each(['', '-', '+', '.', 's', '10', '7d', '1w', '1hh', '1h 2m', ' 1h', '1.2.3s', '1e3s', 'h1', '--1s', '1constructor', '1toString'])(
    'refuses %j',
    (text) => {
      expect(() => parseGoDuration(text)).toThrow(SyntaxError);
    },
  );
});
