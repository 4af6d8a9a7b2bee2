import { hostname } from 'node:os';
import { join } from 'node:path';

import { loadConfig } from '../config.js';
import type { FetchLike } from '../http/http-request.js';
import { MirrorClient } from '../mirror/mirror-client.js';
import { type MirrorListen, MirrorHttpServer } from '../mirror/mirror-http.js';
import { jsonLogger } from '../util/logger.js';
import { CliError, type CliIo } from './cli-io.js';

export interface MirrorCommandOptions {
  /** `--api-key`, else `$QUORUM_API_KEY` */
  apiKey?: string;
  /** `--server`, else the config file's */
  server?: string;
  configPath: string;
  /** `--listen HOST:PORT` (default 127.0.0.1:8181) */
  listen?: string;
  /** `--socket PATH`: a Unix socket instead of TCP */
  socket?: string;
  /** `--deny-score N` (default 63) */
  denyScore?: string;
  /** `--public-key B64`: pin this key instead of the stored or fetched one */
  publicKey?: string;
  /** `--state-dir DIR`, else `<config stateDir>/mirror` */
  stateDir?: string;
  /** `--mirror-id ID`, else the host name */
  mirrorId?: string;
  failClosed?: boolean;
  stop: Promise<unknown>;
  fetchImpl?: FetchLike;
  /** called once the local server listens (tests) */
  onListening?: (port: number, client: MirrorClient) => void;
}

const DEFAULT_DENY_SCORE = 63;

export function parseListen(text: string): { host: string; port: number } {
  const at = text.lastIndexOf(':');
  const host = at > 0 ? text.slice(0, at).replace(/^\[|\]$/g, '') : '127.0.0.1';
  const port = Number(at >= 0 ? text.slice(at + 1) : text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`mirror: --listen wants HOST:PORT, got ${text}`);
  return { host, port };
}

/** `quorum-agent mirror`: keeps the local mirror in sync and answers local programs until stopped. */
export async function runMirror(o: MirrorCommandOptions, io: CliIo): Promise<number> {
  const apiKey = o.apiKey ?? io.env.QUORUM_API_KEY;
  if (!apiKey) throw new CliError('mirror: give an API key with the mirror scope (--api-key or $QUORUM_API_KEY)');
  const denyScore = o.denyScore === undefined ? DEFAULT_DENY_SCORE : Number(o.denyScore);
  if (!Number.isInteger(denyScore) || denyScore < 0 || denyScore > 101) throw new CliError('mirror: --deny-score must be 0-101 (101: listed addresses only)');
  if (o.listen && o.socket) throw new CliError('mirror: give --listen or --socket, not both');
  let server = o.server;
  let stateDir = o.stateDir;
  let logLevel: 'debug' | 'info' | 'warn' | 'error' = 'info';
  if (server === undefined || stateDir === undefined) {
    const config = await loadConfig(o.configPath);
    server ??= config.server.url;
    stateDir ??= join(config.stateDir, 'mirror');
    logLevel = config.logLevel;
  }
  const logger = jsonLogger(logLevel, io.err);
  const listen: MirrorListen = o.socket ? { socketPath: o.socket } : parseListen(o.listen ?? '127.0.0.1:8181');
  const client = new MirrorClient({ server, apiKey, publicKey: o.publicKey, stateDir, mirrorId: o.mirrorId ?? hostname().replace(/[^A-Za-z0-9._:-]/g, '-').slice(0, 64), fetchImpl: o.fetchImpl, logger });
  const http = new MirrorHttpServer(client.table, { listen, denyScore, failClosed: o.failClosed, staleMs: () => client.staleMs() });
  await client.start();
  const port = await http.start();
  logger.info('mirror: answering local lookups', { listen: 'socketPath' in listen ? listen.socketPath : `${listen.host}:${port}`, version: client.table.version, keys: client.table.size });
  o.onListening?.(port, client);
  await o.stop;
  await http.stop();
  await client.stop();
  return 0;
}
