import { Redis } from 'ioredis';
import { closeRedis } from '../../infra/redis/close-redis.js';

export interface SubscriberOptions {
  url: string;
  /** channel -> handler of each message */
  channels: Record<string, (message: string) => void>;
  /** after a reconnection: messages may have been missed */
  onResubscribed: () => void;
  onError: (error: Error) => void;
}

/** A dedicated connection in subscriber mode (a subscribed connection cannot run other commands). */
export class RedisSubscriber {
  private readonly connection: Redis;
  private connectedBefore = false;

  constructor(private readonly options: SubscriberOptions) {
    this.connection = new Redis(options.url, {
      lazyConnect: true,
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      autoResubscribe: true,
      retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 6), 5_000),
    });
    this.connection.on('message', (channel: string, message: string) => options.channels[channel]?.(message));
    this.connection.on('error', (error: Error) => options.onError(error));
    this.connection.on('ready', () => {
      if (this.connectedBefore) options.onResubscribed();
      this.connectedBefore = true;
    });
  }

  /** Connects and subscribes; does not throw when Redis is down (it keeps retrying in the background). */
  start(): void {
    this.connection.connect().catch((error: Error) => this.options.onError(error));
    void this.connection.subscribe(...Object.keys(this.options.channels)).catch((error: Error) => this.options.onError(error));
  }

  async stop(): Promise<void> {
    await closeRedis(this.connection);
  }
}
