import { type QueueOptions, RedisConnection, type RedisOptions, createIORedisClient } from 'bullmq';
import type { Cluster } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';
import { createRedisClient } from '../redis/redis-client.js';

/** ioredis options from a redis:// URL, as BullMQ wants them (blocking commands never time out). */
export function bullConnection(url: string): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: Number.isFinite(db) ? db : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (attempt: number) => Math.min(200 * 2 ** Math.min(attempt, 6), 10_000),
  };
}

/**
 * BullMQ's key prefix. On a Redis Cluster it is a hash tag (`{quorum-bull}`): BullMQ's scripts touch
 * several keys of a queue at once, which must share a slot. A single server keeps `quorum-bull`, so
 * existing deployments keep their queued jobs.
 */
export function bullPrefix(config: AppConfig['redis']): string {
  return config.backend === 'cluster' ? `{${config.prefix}-bull}` : `${config.prefix}-bull`;
}

/**
 * Root BullMQ options on Redis. On a cluster, every BullMQ connection (queues, workers and their
 * blocking connections) is a cluster client of its own, made by BullMQ's process-wide client factory
 * and closed by BullMQ like any connection it opened.
 */
export function bullRedisRoot(config: AppConfig['redis']): QueueOptions {
  if (config.backend !== 'cluster') return { connection: bullConnection(config.url), prefix: bullPrefix(config) };
  RedisConnection.clientFactory = (options) => {
    const { host: _host, port: _port, db: _db, retryStrategy: _retry, enableOfflineQueue: _offline, ...perNode } = options as RedisOptions & { db?: number };
    return createIORedisClient(endsWhenDisconnected(createRedisClient(config, { ...perNode, maxRetriesPerRequest: null }, { enableOfflineQueue: true }) as Cluster));
  };
  return { connection: { maxRetriesPerRequest: null, enableReadyCheck: true }, prefix: bullPrefix(config) };
}

/**
 * A cluster client disconnected on purpose stays ended until it is connected again. BullMQ pauses a
 * worker with an active job by disconnecting its blocking connection and reconnecting it when the job
 * is done, which it does only from 'end' (from 'close' it waits for 'ready'). An ioredis Cluster
 * reaches 'end', then its connection pool drains once more and sets it back to 'close': the pause never
 * returned, and neither did the graceful shutdown of the scoring leader, which pauses its worker
 * (src/worker/scoring-leadership.ts). Tested in test/e2e/redis-cluster.e2e-spec.ts.
 */
function endsWhenDisconnected(cluster: Cluster): Cluster {
  const disconnect = cluster.disconnect.bind(cluster);
  const setStatus = (status: string) => (cluster as unknown as { setStatus(status: string): void }).setStatus(status);
  cluster.disconnect = (reconnect = false) => {
    disconnect(reconnect);
    if (reconnect) return;
    const closed = () =>
      setImmediate(() => {
        if (cluster.status === 'close') setStatus('end');
      });
    cluster.on('close', closed);
    cluster.once('connecting', () => cluster.removeListener('close', closed));
  };
  return cluster;
}
