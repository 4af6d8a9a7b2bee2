import type { MemoryKeyspace } from './memory-keyspace.js';
import type { KeyEraser, NonceRegistry, PubSub, SubscribeEvents, Subscription, WindowCount, WindowCounters } from './shared-state.js';

interface Window {
  count: number;
  resetAt: number;
}

export class MemoryWindowCounters implements WindowCounters {
  constructor(private readonly keyspace: MemoryKeyspace) {}

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.keyspace.clock.nowMs();
    const open = this.keyspace.get<Window>(key);
    const window = open && open.resetAt > now ? { count: open.count + 1, resetAt: open.resetAt } : { count: 1, resetAt: now + windowMs };
    this.keyspace.set(key, window, window.resetAt);
    return { count: window.count, resetMs: window.resetAt - now };
  }

  async peek(key: string): Promise<WindowCount> {
    const now = this.keyspace.clock.nowMs();
    const open = this.keyspace.get<Window>(key);
    return open ? { count: open.count, resetMs: open.resetAt - now } : { count: 0, resetMs: 0 };
  }

  async clear(key: string): Promise<void> {
    this.keyspace.delete(key);
  }
}

export class MemoryNonceRegistry implements NonceRegistry {
  constructor(private readonly keyspace: MemoryKeyspace) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    if (this.keyspace.get(key) !== undefined) return false;
    this.keyspace.set(key, 1, this.keyspace.clock.nowMs() + ttlMs);
    return true;
  }

  async release(key: string): Promise<void> {
    this.keyspace.delete(key);
  }
}

/** Delivers on a later turn of the event loop, as a network round trip would (publishers never run subscribers inline). */
export class MemoryPubSub implements PubSub {
  private readonly channels = new Map<string, Set<(message: string) => void>>();

  async publish(channel: string, message: string): Promise<void> {
    const handlers = this.channels.get(channel);
    if (!handlers) return;
    for (const handler of [...handlers]) setImmediate(() => handler(message));
  }

  subscribe(handlers: Readonly<Record<string, (message: string) => void>>, _events: SubscribeEvents = {}): Subscription {
    const added: Array<[string, (message: string) => void]> = Object.entries(handlers);
    for (const [channel, handler] of added) {
      let set = this.channels.get(channel);
      if (!set) this.channels.set(channel, (set = new Set()));
      set.add(handler);
    }
    return {
      ready: Promise.resolve(),
      close: async () => {
        for (const [channel, handler] of added) this.channels.get(channel)?.delete(handler);
      },
    };
  }
}

export class MemoryKeyEraser implements KeyEraser {
  constructor(private readonly keyspace: MemoryKeyspace) {}

  async deleteKeys(keys: readonly string[]): Promise<number> {
    return keys.filter((key) => this.keyspace.delete(key)).length;
  }

  async deleteByPrefix(prefix: string): Promise<number> {
    return this.keyspace.deleteByPrefix(prefix);
  }
}
