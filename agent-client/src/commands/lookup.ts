import { loadConfig } from '../config.js';
import { parseAddress } from '../net/ip.js';
import type { FetchLike } from '../http/http-request.js';
import { httpRequest, jsonBody } from '../http/http-request.js';
import { CliError, type CliIo } from './cli-io.js';

export interface LookupOptions {
  ip: string;
  /** `--api-key`, else `$QUORUM_API_KEY` (keeps the key out of the process list). */
  apiKey?: string;
  /** `--server`, else the config file's server URL. */
  server?: string;
  configPath: string;
  timeoutMs?: number;
  fetchImpl?: FetchLike;
}

/** `GET /v1/ip/{ip}` with an organisation API key; prints the server's JSON answer. */
export async function lookupIp(o: LookupOptions, io: CliIo): Promise<number> {
  if (!parseAddress(o.ip)) throw new CliError(`lookup: not an IP address: ${o.ip}`);
  const apiKey = o.apiKey ?? io.env.QUORUM_API_KEY;
  if (!apiKey) throw new CliError('lookup: give an API key with --api-key or $QUORUM_API_KEY');
  let server = o.server;
  let timeoutMs = o.timeoutMs ?? 15_000;
  if (server === undefined) {
    const config = await loadConfig(o.configPath);
    server = config.server.url;
    timeoutMs = o.timeoutMs ?? config.server.timeoutMs;
  }
  const url = `${server.replace(/\/+$/, '')}/v1/ip/${encodeURIComponent(o.ip)}`;
  let res;
  try {
    res = await httpRequest({ method: 'GET', url, headers: { accept: 'application/json', 'x-api-key': apiKey }, timeoutMs }, o.fetchImpl);
  } catch (e) {
    throw new CliError(`lookup: ${(e as Error).message}`);
  }
  const json = jsonBody(res);
  if (json === null) throw new CliError(`lookup: HTTP ${res.status}: not a JSON answer`);
  const text = `${JSON.stringify(json, null, 2)}\n`;
  if (res.status === 200) {
    io.out(text);
    return 0;
  }
  io.err(text);
  return 1;
}
