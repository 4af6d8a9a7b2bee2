import { createRootLogger } from './pino-logger.js';
import { routeProcessOutputToLogger } from './process-output.js';
import { throttledErrorLog } from './throttled-error-log.js';

describe('process output through the JSON logger', () => {
  it('turns console prints and process warnings into JSON lines (errors serialised, IPs scrubbed)', () => {
    const lines: string[] = [];
    const logger = createRootLogger('info', { write: (line: string) => lines.push(line) });
    const saved = { ...console };
    try {
      routeProcessOutputToLogger(logger);
      console.error(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
      console.log('%d queued', 3);
      console.warn('[ioredis] Unhandled error event:', 'Error: boom\n    at x (y.js:1:1)');
      const warning = new Error('something deprecated');
      warning.name = 'DeprecationWarning';
      process.emit('warning', warning);
    } finally {
      Object.assign(console, saved);
    }
    const parsed = lines.map((l) => JSON.parse(l) as { level: number; msg: string; component: string; err?: { message: string } });
    expect(parsed).toEqual([
      expect.objectContaining({ level: 50, component: 'console', msg: 'connect ECONNREFUSED <ip>:6379', err: expect.objectContaining({ message: 'connect ECONNREFUSED <ip>:6379' }) }),
      expect.objectContaining({ level: 30, component: 'console', msg: '3 queued' }),
      expect.objectContaining({ level: 40, component: 'console', msg: '[ioredis] Unhandled error event: Error: boom\n    at x (y.js:1:1)' }),
      expect.objectContaining({ level: 40, component: 'process-warning', msg: 'something deprecated' }),
    ]);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
  });

  it('throttles a dependency outage to one line per interval, counting what it held back', () => {
    let now = 0;
    const out: string[] = [];
    const log = throttledErrorLog((m) => out.push(m), 'Redis unavailable', 10_000, () => now);
    for (let i = 0; i < 50; i++) {
      log(new Error('ECONNREFUSED'));
      now += 500;
    }
    expect(out).toEqual(['Redis unavailable: ECONNREFUSED', 'Redis unavailable: ECONNREFUSED (19 more since the last report)', 'Redis unavailable: ECONNREFUSED (19 more since the last report)']);
  });
});
