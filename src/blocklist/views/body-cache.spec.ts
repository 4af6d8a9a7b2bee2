import { BodyCache } from './body-cache.js';

const item = (bytes: number, tag = '') => ({ bytes, tag });

describe('BodyCache', () => {
  it('builds once for concurrent callers and reuses fresh values', async () => {
    const cache = new BodyCache<{ bytes: number; tag: string }>(100);
    let builds = 0;
    const build = async () => {
      builds++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return item(10, `b${builds}`);
    };
    const [a, b] = await Promise.all([cache.getOrBuild('k', () => true, build), cache.getOrBuild('k', () => true, build)]);
    expect(a).toBe(b);
    expect(await cache.getOrBuild('k', () => true, build)).toBe(a);
    expect(builds).toBe(1);
    expect((await cache.getOrBuild('k', () => false, build)).tag).toBe('b2');
  });

  it('stays within its byte bound, evicting the least recently used first', async () => {
    const cache = new BodyCache<{ bytes: number; tag: string }>(100);
    await cache.getOrBuild('a', () => true, async () => item(40, 'a'));
    await cache.getOrBuild('b', () => true, async () => item(40, 'b'));
    await cache.getOrBuild('a', () => true, async () => item(40, 'stale'));
    await cache.getOrBuild('c', () => true, async () => item(40, 'c'));
    expect(cache.bytes).toBe(80);
    expect((await cache.getOrBuild('a', () => true, async () => item(40, 'rebuilt'))).tag).toBe('a');
    expect((await cache.getOrBuild('b', () => true, async () => item(40, 'rebuilt'))).tag).toBe('rebuilt');
    const huge = await cache.getOrBuild('h', () => true, async () => item(500, 'huge'));
    expect(huge.tag).toBe('huge');
    expect(cache.bytes).toBeLessThanOrEqual(100);
  });

  it('forgets a failed build and drops keys on request', async () => {
    const cache = new BodyCache<{ bytes: number; tag: string }>(100);
    await expect(cache.getOrBuild('x', () => true, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect((await cache.getOrBuild('x', () => true, async () => item(1, 'ok'))).tag).toBe('ok');
    await cache.getOrBuild('7|y', () => true, async () => item(1));
    cache.retain((key) => key.startsWith('7|'));
    expect(cache.size).toBe(1);
  });
});
