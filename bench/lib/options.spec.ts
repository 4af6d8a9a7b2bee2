import { benchOptionsFromEnv, DEFAULT_BENCH_OPTIONS, timeBudgetSec } from './options.js';

describe('benchOptionsFromEnv', () => {
  it('uses the defaults, then the caller defaults, then the environment', () => {
    expect(benchOptionsFromEnv({})).toEqual(DEFAULT_BENCH_OPTIONS);
    expect(benchOptionsFromEnv({}, { connections: 10 }).connections).toBe(10);
    const options = benchOptionsFromEnv(
      { BENCH_DURATION: '2.5', BENCH_ROUNDS: '1', BENCH_WARMUP: '0', BENCH_CONNECTIONS: ' 8 ', BENCH_START_TIMEOUT: '5' },
      { connections: 10 },
    );
    expect(options).toEqual({ durationSec: 2.5, rounds: 1, warmupSec: 0, connections: 8, startTimeoutSec: 5 });
  });

  it('ignores empty values', () => {
    expect(benchOptionsFromEnv({ BENCH_DURATION: '' }).durationSec).toBe(DEFAULT_BENCH_OPTIONS.durationSec);
  });

  it('names every bad variable at once', () => {
    expect(() => benchOptionsFromEnv({ BENCH_DURATION: 'ten', BENCH_ROUNDS: '1.5', BENCH_CONNECTIONS: '0' })).toThrow(
      /BENCH_DURATION="ten".*BENCH_ROUNDS="1.5" must be an integer.*BENCH_CONNECTIONS="0"/,
    );
  });
});

describe('timeBudgetSec', () => {
  it('covers start-up, warm-up and measuring of every server', () => {
    const options = { durationSec: 10, rounds: 2, warmupSec: 3, connections: 50, startTimeoutSec: 60 };
    const budget = timeBudgetSec(options, 2);
    expect(budget).toBeGreaterThanOrEqual(2 * 60 + 2 * (3 + 10));
    expect(budget).toBeLessThan(300);
  });
});
