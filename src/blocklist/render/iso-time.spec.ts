import { isoUtc } from './iso-time.js';

describe('isoUtc', () => {
  it('matches Date#toISOString across days, years and millisecond edges', () => {
    const samples = [
      0, -1, 1, 86_399_999, 86_400_000, -86_400_000, 951_782_400_000 /* 2000-02-29 */, 1_764_090_000_123,
      253_402_300_799_999 /* 9999-12-31T23:59:59.999Z */, 253_402_300_800_000, -62_198_755_200_000,
    ];
    let seed = 3;
    for (let i = 0; i < 5000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      samples.push(1_700_000_000_000 + seed * 997 + (seed % 1000));
    }
    for (const ms of samples) expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
  });
});
