import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';

import { readOutputs } from './config-outputs.js';
import { LOG_FORMATS, type LogFormat } from './detect/line-parser.js';
import { checkCrossIpScenario, type CrossIpScenarioDefinition } from './detect/cross-ip-scenario.js';
import { checkScenario, type ScenarioDefinition } from './detect/scenario.js';
import { parseCidr } from './net/cidr.js';
import type { OutputSpec } from './output/blocklist-output.js';
import {
  asObject,
  checkKeys,
  Issues,
  type JsonObject,
  readBoolean,
  readDuration,
  readNumber,
  readString,
  readStringArray,
} from './util/json-check.js';

export interface LogFileConfig {
  path: string;
  format: LogFormat;
  startAt: 'beginning' | 'end';
}

export interface AgentConfig {
  server: { url: string; timeoutMs: number };
  stateDir: string;
  privateKeyFile: string;
  logs: LogFileConfig[];
  scenarios: { disabled: string[]; custom: ScenarioDefinition[]; crossIp: CrossIpScenarioDefinition[]; loginMemoryMs: number };
  /** Local remediation: the agent's own detections blocked through `outputs`, beside the community list. */
  remediation: { enabled: boolean; dryRun: boolean; durationMs: number; durationsMs: Record<string, number>; maxDecisions: number };
  allowlist: string[];
  ignorePrivateAddresses: boolean;
  push: { batchSize: number; flushIntervalMs: number; minBackoffMs: number; maxBackoffMs: number; gzip: boolean };
  pull: { enabled: boolean; intervalMs: number };
  outputs: OutputSpec[];
  statusFile: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export const DEFAULT_STATE_DIR = '/var/lib/quorum-agent';
export const MAX_BATCH = 250;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly file: string,
    readonly issues: string[],
  ) {
    super(`invalid configuration ${file}:\n  ${issues.join('\n  ')}`);
  }
}

/** A starter configuration (what `quorum-agent init` writes), in the JSON shape of the file. */
export function starterConfig(serverUrl: string, stateDir: string): JsonObject {
  return {
    server: { url: serverUrl },
    stateDir,
    logs: [
      { path: '/var/log/auth.log', format: 'sshd', startAt: 'end' },
      { path: '/var/log/nginx/access.log', format: 'http-access', startAt: 'end' },
    ],
    allowlist: [],
    outputs: [{ type: 'nftables', path: join(stateDir, 'blocklist.nft'), command: ['/usr/sbin/nft', '-f'] }],
  };
}

function resolvePath(base: string, p: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}

function readLogs(v: unknown, base: string, issues: Issues): LogFileConfig[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    issues.add('logs', 'expected an array');
    return [];
  }
  const out: LogFileConfig[] = [];
  v.forEach((item, i) => {
    const at = `logs[${i}]`;
    const o = asObject(item, at, issues);
    if (!o) return;
    checkKeys(o, ['path', 'format', 'startAt'], at, issues);
    const path = readString(o, 'path', at, issues, { required: true, nonEmpty: true });
    const format = readString(o, 'format', at, issues, { oneOf: LOG_FORMATS }) as LogFormat | undefined;
    const startAt = readString(o, 'startAt', at, issues, { oneOf: ['beginning', 'end'] }) as 'beginning' | 'end' | undefined;
    if (path !== undefined) out.push({ path: resolvePath(base, path), format: format ?? 'auto', startAt: startAt ?? 'end' });
  });
  const seen = new Set<string>();
  for (const l of out) {
    if (seen.has(l.path)) issues.add('logs', `${l.path} is listed twice`);
    seen.add(l.path);
  }
  return out;
}

function readScenarios(v: unknown, issues: Issues): AgentConfig['scenarios'] {
  const result: AgentConfig['scenarios'] = { disabled: [], custom: [], crossIp: [], loginMemoryMs: 86_400_000 };
  if (v === undefined) return result;
  const o = asObject(v, 'scenarios', issues);
  if (!o) return result;
  checkKeys(o, ['disabled', 'custom', 'crossIp', 'loginMemory'], 'scenarios', issues);
  result.disabled = readStringArray(o, 'disabled', 'scenarios', issues) ?? [];
  if (o.custom !== undefined) {
    if (!Array.isArray(o.custom)) issues.add('scenarios.custom', 'expected an array of scenarios');
    else o.custom.forEach((s, i) => checkScenario(s, `scenarios.custom[${i}]`, issues) && result.custom.push(s));
  }
  if (o.crossIp !== undefined) {
    if (!Array.isArray(o.crossIp)) issues.add('scenarios.crossIp', 'expected an array of cross-IP scenarios');
    else o.crossIp.forEach((s, i) => checkCrossIpScenario(s, `scenarios.crossIp[${i}]`, issues) && result.crossIp.push(s));
  }
  result.loginMemoryMs = readDuration(o, 'loginMemory', 'scenarios', issues, { minMs: 1000 }) ?? result.loginMemoryMs;
  return result;
}

function readRemediation(root: JsonObject, issues: Issues): AgentConfig['remediation'] {
  const o = sub(root, 'remediation', ['enabled', 'dryRun', 'duration', 'durations', 'maxDecisions'], issues);
  const durationsMs: Record<string, number> = {};
  if (o.durations !== undefined) {
    const d = asObject(o.durations, 'remediation.durations', issues);
    for (const key of Object.keys(d ?? {})) {
      const ms = readDuration(d as JsonObject, key, 'remediation.durations', issues, { minMs: 1000, required: true });
      if (ms !== undefined) durationsMs[key] = ms;
    }
  }
  return {
    enabled: readBoolean(o, 'enabled', 'remediation', issues) ?? true,
    dryRun: readBoolean(o, 'dryRun', 'remediation', issues) ?? false,
    durationMs: readDuration(o, 'duration', 'remediation', issues, { minMs: 1000 }) ?? 4 * 3_600_000,
    durationsMs,
    maxDecisions: readNumber(o, 'maxDecisions', 'remediation', issues, { integer: true, min: 1, max: 1_000_000 }) ?? 100_000,
  };
}

function sub(root: JsonObject, key: string, allowed: string[], issues: Issues): JsonObject {
  if (root[key] === undefined) return {};
  const o = asObject(root[key], key, issues) ?? {};
  checkKeys(o, allowed, key, issues);
  return o;
}

/**
 * Checks a parsed config file and fills in defaults. Every problem is reported at once, each with its
 * path; relative paths are taken from `baseDir` (the config file's directory).
 */
export function parseConfig(raw: unknown, baseDir: string, file = 'config'): AgentConfig {
  const issues = new Issues();
  const root = asObject(raw, '(root)', issues) ?? {};
  checkKeys(
    root,
    ['server', 'stateDir', 'privateKeyFile', 'logs', 'scenarios', 'remediation', 'allowlist', 'ignorePrivateAddresses', 'push', 'pull', 'outputs', 'statusFile', 'logLevel'],
    '(root)',
    issues,
  );

  const server = sub(root, 'server', ['url', 'timeout'], issues);
  const url = readString(server, 'url', 'server', issues, { required: true, pattern: /^https?:\/\/[^\s/]+/ });
  const stateDir = resolvePath(baseDir, readString(root, 'stateDir', '(root)', issues, { nonEmpty: true }) ?? DEFAULT_STATE_DIR);

  const allowlist = readStringArray(root, 'allowlist', '(root)', issues) ?? [];
  allowlist.forEach((c, i) => parseCidr(c.trim()) === null && issues.add(`allowlist[${i}]`, `not an IP or CIDR: ${JSON.stringify(c)}`));

  const push = sub(root, 'push', ['batchSize', 'flushInterval', 'minBackoff', 'maxBackoff', 'gzip'], issues);
  const pull = sub(root, 'pull', ['enabled', 'interval'], issues);
  const config: AgentConfig = {
    server: { url: (url ?? '').replace(/\/+$/, ''), timeoutMs: readDuration(server, 'timeout', 'server', issues, { minMs: 100 }) ?? 15_000 },
    stateDir,
    privateKeyFile: resolvePath(baseDir, readString(root, 'privateKeyFile', '(root)', issues, { nonEmpty: true }) ?? join(stateDir, 'agent.key')),
    logs: readLogs(root.logs, baseDir, issues),
    scenarios: readScenarios(root.scenarios, issues),
    remediation: readRemediation(root, issues),
    allowlist,
    ignorePrivateAddresses: readBoolean(root, 'ignorePrivateAddresses', '(root)', issues) ?? true,
    push: {
      batchSize: readNumber(push, 'batchSize', 'push', issues, { integer: true, min: 1, max: MAX_BATCH }) ?? MAX_BATCH,
      flushIntervalMs: readDuration(push, 'flushInterval', 'push', issues, { minMs: 100 }) ?? 5_000,
      minBackoffMs: readDuration(push, 'minBackoff', 'push', issues, { minMs: 10 }) ?? 1_000,
      maxBackoffMs: readDuration(push, 'maxBackoff', 'push', issues, { minMs: 10 }) ?? 300_000,
      gzip: readBoolean(push, 'gzip', 'push', issues) ?? true,
    },
    pull: {
      enabled: readBoolean(pull, 'enabled', 'pull', issues) ?? true,
      intervalMs: readDuration(pull, 'interval', 'pull', issues, { minMs: 10_000 }) ?? 60_000,
    },
    outputs: readOutputs(root.outputs, baseDir, stateDir, issues),
    statusFile: resolvePath(baseDir, readString(root, 'statusFile', '(root)', issues, { nonEmpty: true }) ?? join(stateDir, 'status.json')),
    logLevel: (readString(root, 'logLevel', '(root)', issues, { oneOf: ['debug', 'info', 'warn', 'error'] }) ?? 'info') as AgentConfig['logLevel'],
  };
  if (config.push.minBackoffMs > config.push.maxBackoffMs) issues.add('push.minBackoff', 'must not exceed push.maxBackoff');
  if (!issues.ok) throw new ConfigError(file, issues.list);
  return config;
}

export async function loadConfig(path: string): Promise<AgentConfig> {
  const text = await readFile(path, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(path, [`not valid JSON: ${(e as Error).message}`]);
  }
  return parseConfig(raw, dirname(resolve(path)), path);
}
