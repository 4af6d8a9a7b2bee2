import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { EmbeddedRedisServer } from './embedded-redis-server.js';

describe('EmbeddedRedisServer', () => {
  const server = new EmbeddedRedisServer();
  let url: string;
  let client: Redis;

  beforeAll(async () => {
    url = await server.start();
    client = new Redis(url, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    await client.quit();
    await server.close();
  });

  it('keeps strings, counters and expiries', async () => {
    expect(await client.set('a', '1', 'PX', 5_000, 'NX')).toBe('OK');
    expect(await client.set('a', '2', 'PX', 5_000, 'NX')).toBeNull();
    expect(await client.get('a')).toBe('1');
    expect(await client.incrby('a', 4)).toBe(5);
    const ttl = await client.pttl('a');
    expect(ttl).toBeGreaterThan(4_000);
    expect(ttl).toBeLessThanOrEqual(5_000);
    expect(await client.pttl('missing')).toBe(-2);
    await client.set('short', 'x', 'PX', 20);
    await new Promise((r) => setTimeout(r, 40));
    expect(await client.exists('short')).toBe(0);
  });

  it('runs MULTI/EXEC and pipelines', async () => {
    await client.set('m', '10');
    const result = await client.multi().decrby('m', 3).del('nothing').sadd('s', 'x', 'y').exec();
    expect(result).toEqual([
      [null, 7],
      [null, 0],
      [null, 2],
    ]);
    expect(await client.scard('s')).toBe(2);
    expect(await client.sismember('s', 'y')).toBe(1);
  });

  it('runs Lua scripts with Redis conversion rules and errors', async () => {
    const script = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local v = tonumber(redis.call('GET', 'nokey') or '0')
redis.call('SET', KEYS[1], n + 0, 'KEEPTTL')
return {n, redis.call('PTTL', KEYS[1]), v, 'text', false, 2.7}`;
    const first = (await client.eval(script, 1, 'win', 60_000)) as unknown[];
    expect(first[0]).toBe(1);
    expect(first[1]).toBeGreaterThan(59_000);
    expect(first.slice(2)).toEqual([0, 'text', null, 2]);
    expect(((await client.eval(script, 1, 'win', 60_000)) as unknown[])[0]).toBe(2);
    await expect(client.eval("return redis.call('INCR', KEYS[1])", 1, 's')).rejects.toThrow(/WRONGTYPE/);
    await expect(client.eval("return {err='custom failure'}", 0)).rejects.toThrow(/custom failure/);
    expect(await client.eval("return redis.pcall('NOPE')['err'] ~= nil", 0)).toBe(1);
  });

  it('serves EVALSHA for defined commands (NOSCRIPT then load)', async () => {
    client.defineCommand('double', { numberOfKeys: 0, lua: 'return tonumber(ARGV[1]) * 2' });
    expect(await (client as unknown as { double(n: number): Promise<number> }).double(21)).toBe(42);
  });

  it('delivers published messages to subscribers on other connections', async () => {
    const subscriber = new Redis(url);
    const received = new Promise<[string, string]>((resolve) => subscriber.on('message', (channel: string, message: string) => resolve([channel, message])));
    await subscriber.subscribe('events');
    const duplicate = client.duplicate();
    expect(await duplicate.publish('events', 'hello')).toBe(1);
    await expect(received).resolves.toEqual(['events', 'hello']);
    await Promise.all([subscriber.quit(), duplicate.quit()]);
  });
});

describe('EmbeddedRedisServer snapshot', () => {
  it('keeps live keys and their expiry across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorum-redis-'));
    const path = join(dir, 'redis.json');
    try {
      const first = new EmbeddedRedisServer(path);
      const firstClient = new Redis(await first.start());
      await firstClient.set('nonce', '1', 'PX', 60_000);
      await firstClient.sadd('targets', 'a', 'b');
      await firstClient.set('gone', '1', 'PX', 1);
      await firstClient.quit();
      await first.close();

      const second = new EmbeddedRedisServer(path);
      const client = new Redis(await second.start());
      expect(await client.get('nonce')).toBe('1');
      expect(await client.pttl('nonce')).toBeGreaterThan(50_000);
      expect(await client.scard('targets')).toBe(2);
      expect(await client.exists('gone')).toBe(0);
      await client.quit();
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
