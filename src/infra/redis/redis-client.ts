import { Cluster, type ClusterNode, Redis, type RedisOptions } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';

/** A connection to the shared state: one Redis, or a Redis Cluster (same command API). */
export type RedisClient = Redis | Cluster;

/** Reconnection with backoff, capped: the application keeps serving (503s) while Redis is away. */
const retry = (attempt: number): number => Math.min(200 * 2 ** Math.min(attempt, 6), 10_000);

interface ParsedNode {
  readonly node: ClusterNode;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly tls: boolean;
}

/** `host:port` or `redis[s]://[user:pass@]host:port` (REDIS_CLUSTER_NODES entries). */
export function parseClusterNode(text: string): ParsedNode {
  const url = new URL(/^rediss?:\/\//.test(text) ? text : `redis://${text}`);
  return {
    node: { host: url.hostname, port: url.port ? Number(url.port) : 6379 },
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    tls: url.protocol === 'rediss:',
  };
}

/**
 * A new client of the configured backend. `options` are per connection (each cluster node gets them).
 * Cluster credentials and TLS come from the first seed node that carries them.
 */
export function createRedisClient(config: AppConfig['redis'], options: RedisOptions, clusterOptions: { enableOfflineQueue?: boolean } = {}): RedisClient {
  if (config.backend === 'cluster') {
    const nodes = config.clusterNodes.map(parseClusterNode);
    const auth = nodes.find((n) => n.password !== undefined || n.username !== undefined);
    const { enableOfflineQueue, retryStrategy: _ignored, lazyConnect, ...perNode } = options;
    return new Cluster(
      nodes.map((n) => n.node),
      {
        redisOptions: { ...perNode, username: auth?.username, password: auth?.password, tls: nodes.some((n) => n.tls) ? {} : undefined },
        enableOfflineQueue: clusterOptions.enableOfflineQueue ?? enableOfflineQueue ?? true,
        clusterRetryStrategy: retry,
        lazyConnect,
        // MOVED/ASK during a resharding or a fail-over: retry instead of failing the request.
        retryDelayOnFailover: 200,
        retryDelayOnClusterDown: 300,
        slotsRefreshTimeout: 2_000,
      },
    );
  }
  return new Redis(config.url, { retryStrategy: retry, ...options });
}

/** The masters of a cluster (each holds a share of the keys), or the one server. */
export function masters(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}
