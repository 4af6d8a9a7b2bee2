import type { INestApplicationContext } from '@nestjs/common';
import { Clock } from '../../src/infra/clock/clock.js';

export interface FakeClock {
  /** The fake time, epoch ms. */
  readonly nowMs: number;
  advance(ms: number): void;
  /** Gives the apps their real clock back. */
  restore(): void;
}

/**
 * Makes the injected Clock of each app read a time the test moves (`advance`), starting at `startMs`,
 * so rules about periods (rate windows, expiries) are tested without sleeping. Every service reads time
 * through the one Clock instance of its app (src/infra/clock/clock.module.ts), so replacing its two
 * methods moves them all; `restore()` (call it in a `finally` or afterEach) puts the real ones back.
 */
export function fakeClock(apps: INestApplicationContext[], startMs: number): FakeClock {
  let current = startMs;
  const spies = apps.flatMap((app) => {
    const clock = app.get(Clock, { strict: false });
    return [jest.spyOn(clock, 'nowMs').mockImplementation(() => current), jest.spyOn(clock, 'now').mockImplementation(() => new Date(current))];
  });
  return {
    get nowMs() {
      return current;
    },
    advance(ms: number) {
      current += ms;
    },
    restore() {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
