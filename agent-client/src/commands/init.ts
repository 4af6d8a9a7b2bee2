import { access, chmod, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

import { type AgentConfig, DEFAULT_STATE_DIR, loadConfig, parseConfig, starterConfig } from '../config.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { generateAgentKeys, loadPrivateKey, publicKeyOf, publicKeyPathFor, publicKeyPem, publicKeyRawBase64, writeAgentKeys } from '../sign/agent-keys.js';
import { CliError, type CliIo } from './cli-io.js';

export interface InitOptions {
  configPath: string;
  server?: string;
  stateDir?: string;
  /** Rewrite an existing config file (keys are never replaced by init). */
  force: boolean;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Creates what an agent needs before `register`: the config file (unless it exists), the state
 * directory (0700) and the Ed25519 key pair (0600). Safe to run again: existing keys are kept.
 */
export async function initAgent(o: InitOptions, io: CliIo): Promise<{ config: AgentConfig; createdConfig: boolean; createdKeys: boolean }> {
  let config: AgentConfig;
  let createdConfig = false;
  if ((await exists(o.configPath)) && !o.force) {
    config = await loadConfig(o.configPath);
    if (o.server || o.stateDir) io.err(`${o.configPath} exists: --server/--state-dir ignored (use --force to rewrite it)\n`);
  } else {
    if (!o.server) throw new CliError('--server URL is required to create a configuration');
    const raw = starterConfig(o.server, o.stateDir ?? DEFAULT_STATE_DIR);
    config = parseConfig(raw, dirname(o.configPath), o.configPath);
    raw.stateDir = config.stateDir;
    await mkdir(dirname(o.configPath), { recursive: true });
    await writeFileAtomic(o.configPath, `${JSON.stringify(raw, null, 2)}\n`, 0o644);
    createdConfig = true;
  }
  await mkdir(config.stateDir, { recursive: true, mode: 0o700 });
  await chmod(config.stateDir, 0o700);
  await mkdir(dirname(config.privateKeyFile), { recursive: true, mode: 0o700 });
  let createdKeys = false;
  let privateKey;
  if (await exists(config.privateKeyFile)) {
    privateKey = await loadPrivateKey(config.privateKeyFile);
  } else {
    const keys = generateAgentKeys();
    await writeAgentKeys(config.privateKeyFile, keys);
    privateKey = keys.privateKey;
    createdKeys = true;
  }
  const publicKey = publicKeyOf(privateKey);
  io.out(
    [
      `config:      ${o.configPath} (${createdConfig ? 'created' : 'kept'})`,
      `state dir:   ${config.stateDir}`,
      `private key: ${config.privateKeyFile} (${createdKeys ? 'created' : 'kept'}, mode 0600)`,
      `public key:  ${publicKeyPathFor(config.privateKeyFile)}`,
      `public key (raw, base64): ${publicKeyRawBase64(publicKey)}`,
      publicKeyPem(publicKey).trimEnd(),
      '',
      'next: edit the config (logs, outputs, allowlist), then run: quorum-agent register --enroll-key <KEY>',
      '',
    ].join('\n'),
  );
  return { config, createdConfig, createdKeys };
}
