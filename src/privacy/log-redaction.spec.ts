import { Writable } from 'node:stream';
import { createRootLogger } from '../common/logging/pino-logger.js';

/** Captures what pino writes (the real process logger, with a destination stream). */
function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('application logs carry no raw IP (R15)', () => {
  const v4 = '198.51.100.77';
  const v6 = '2001:db8:abcd:12::77';
  const mapped = '::ffff:203.0.113.9';

  it('scrubs IPs from messages, fields, nested objects and errors at every level', async () => {
    const { lines, stream } = capture();
    const logger = createRootLogger('trace', stream);
    logger.info(`request from ${v4} for ${v6}`);
    logger.warn({ remoteAddress: v4, nested: { list: [v6, `x-forwarded-for: ${mapped}`] } }, 'proxy chain');
    logger.error(new Error(`cannot reach http://${v4}:8080/.well-known/x`), 'proof fetch failed');
    logger.child({ ip: v6 }).debug(`child ${v4}`);
    logger.trace({ url: `/v1/ip/${v4}/explain` }, 'route');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(5);
    const text = lines.join('\n');
    for (const ip of [v4, v6, mapped, '203.0.113.9', '2001:db8:abcd:12']) expect(text).not.toContain(ip);
    expect(text).toContain('proxy chain');
  });
});
