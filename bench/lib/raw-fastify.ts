import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import type { ChildServerSpec, RunningServer } from './child-server.js';

/** One fixed answer: the bare-Fastify ceiling a Quorum route is compared with. */
export interface FixedRoute {
  method: 'GET' | 'POST';
  path: string;
  status: number;
  contentType: string;
  body: Buffer;
}

export interface RawFastifyOptions {
  name?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  route: FixedRoute;
}

/**
 * In-process server. It shares the event loop with the load generator when used in the
 * benchmark process itself, so comparisons use `rawFastifyChild` instead; this one suits tests.
 */
export async function startRawFastify(options: RawFastifyOptions): Promise<RunningServer> {
  const { route } = options;
  const app = Fastify({ logger: false });
  app.route({
    method: route.method,
    url: route.path,
    handler: (_request, reply) => {
      reply.code(route.status).header('content-type', route.contentType).send(route.body);
    },
  });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('raw fastify: no TCP address');
  return {
    name: options.name ?? 'raw-fastify',
    baseUrl: `http://${host}:${address.port}`,
    stop: () => app.close(),
  };
}

const ENV_PREFIX = 'BENCH_RAW_';

export function routeToEnv(route: FixedRoute): Record<string, string> {
  return {
    [`${ENV_PREFIX}METHOD`]: route.method,
    [`${ENV_PREFIX}PATH`]: route.path,
    [`${ENV_PREFIX}STATUS`]: String(route.status),
    [`${ENV_PREFIX}CONTENT_TYPE`]: route.contentType,
    [`${ENV_PREFIX}BODY_BASE64`]: route.body.toString('base64'),
  };
}

export function routeFromEnv(env: Readonly<Record<string, string | undefined>>): FixedRoute {
  const read = (key: string): string => {
    const value = env[`${ENV_PREFIX}${key}`];
    if (value === undefined) throw new Error(`raw fastify: ${ENV_PREFIX}${key} is not set`);
    return value;
  };
  const method = read('METHOD');
  if (method !== 'GET' && method !== 'POST') throw new Error(`raw fastify: unsupported method ${method}`);
  const status = Number(read('STATUS'));
  if (!Number.isInteger(status) || status < 100 || status > 599) throw new Error('raw fastify: bad status');
  return {
    method,
    path: read('PATH'),
    status,
    contentType: read('CONTENT_TYPE'),
    body: Buffer.from(read('BODY_BASE64'), 'base64'),
  };
}

/** The same server in its own Node process, like the server it is compared with. */
export function rawFastifyChild(
  route: FixedRoute,
  port: number,
  timeoutMs: number,
  name = 'raw-fastify',
): ChildServerSpec {
  const entry = fileURLToPath(new URL('./raw-fastify-main.js', import.meta.url));
  return {
    name,
    command: process.execPath,
    args: [entry],
    env: { ...routeToEnv(route), PORT: String(port), BENCH_RAW_HOST: '127.0.0.1' },
    port,
    readyPath: route.path,
    timeoutMs,
  };
}
