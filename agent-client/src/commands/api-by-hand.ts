import { loadRegistration } from '../agent/agent-state.js';
import { loadConfig } from '../config.js';
import type { FetchLike } from '../http/http-request.js';
import { QuorumApi } from '../http/quorum-api.js';
import { loadPrivateKey } from '../sign/agent-keys.js';
import { CliError, type CliIo } from './cli-io.js';

/** Formats of GET /v1/blocklist (the service's src/blocklist/render/index.ts). */
export const BLOCKLIST_FORMATS = ['json', 'txt', 'csv', 'nftables', 'ipset'] as const;

async function agentApi(configPath: string, fetchImpl: FetchLike | undefined): Promise<QuorumApi> {
  const config = await loadConfig(configPath);
  const registration = await loadRegistration(config.stateDir);
  if (!registration) throw new CliError('not registered: run quorum-agent register first');
  const privateKey = await loadPrivateKey(config.privateKeyFile);
  return new QuorumApi({ baseUrl: config.server.url, timeoutMs: config.server.timeoutMs, privateKey, agentId: registration.agent_id, fetchImpl });
}

/**
 * `quorum-agent token`: a signed login (the agent's Ed25519 key), then the bearer token on stdout, for
 * trying the API by hand: `curl -H "Authorization: Bearer $(quorum-agent token)" <server>/v1/blocklist`.
 */
export async function printToken(o: { configPath: string; fetchImpl?: FetchLike }, io: CliIo): Promise<number> {
  const api = await agentApi(o.configPath, o.fetchImpl);
  let token: string;
  try {
    token = await api.login(true);
  } catch (e) {
    throw new CliError(`token: ${(e as Error).message}`);
  }
  io.out(`${token}\n`);
  return 0;
}

/** `quorum-agent blocklist [--format F]`: the community list as the server renders it, on stdout. */
export async function printBlocklist(o: { configPath: string; format: string; fetchImpl?: FetchLike }, io: CliIo): Promise<number> {
  if (!(BLOCKLIST_FORMATS as readonly string[]).includes(o.format)) throw new CliError(`blocklist: --format must be one of ${BLOCKLIST_FORMATS.join(', ')}`);
  const api = await agentApi(o.configPath, o.fetchImpl);
  let res;
  try {
    res = await api.blocklistRaw(o.format);
  } catch (e) {
    throw new CliError(`blocklist: ${(e as Error).message}`);
  }
  if (res.status !== 200) {
    io.err(`${res.body.toString('utf8')}\n`);
    return 1;
  }
  io.out(res.body.toString('utf8'));
  return 0;
}
