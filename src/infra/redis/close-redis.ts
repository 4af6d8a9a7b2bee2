import type { RedisClient } from './redis-client.js';
import { withTimeout } from '../../common/util/timeout.js';

/**
 * Closes a connection without hanging: QUIT only when connected (a QUIT queued on a reconnecting
 * client would wait for Redis forever), bounded, and a hard disconnect otherwise.
 */
export async function closeRedis(client: RedisClient, timeoutMs = 2_000): Promise<void> {
  if (client.status === 'ready') {
    try {
      await withTimeout(client.quit(), timeoutMs, 'Redis QUIT');
      return;
    } catch {
      // fall through to a hard disconnect
    }
  }
  client.disconnect();
}
