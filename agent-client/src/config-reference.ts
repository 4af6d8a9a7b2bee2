/** One documented configuration key: rendered into the README and checked against the parser by a test. */
export interface ConfigKeyDoc {
  key: string;
  type: string;
  default: string;
  description: string;
}

export const CONFIG_REFERENCE: readonly ConfigKeyDoc[] = [
  { key: 'server.url', type: 'URL', default: '(required)', description: 'Base URL of the Quorum service, e.g. `https://quorum.example.org`.' },
  { key: 'server.timeout', type: 'duration', default: '`15s`', description: 'Timeout of one HTTP request.' },
  { key: 'stateDir', type: 'path', default: '`/var/lib/quorum-agent`', description: 'Keys, spool, agent credentials, log positions and default output files.' },
  { key: 'privateKeyFile', type: 'path', default: '`<stateDir>/agent.key`', description: 'Ed25519 private key (PKCS#8 PEM, mode 0600; refused if group/others can read it).' },
  { key: 'logs[].path', type: 'path', default: '(required)', description: 'A log file to follow like `tail -F` (rotation and truncation handled).' },
  { key: 'logs[].format', type: '`sshd` \\| `http-access` \\| `auto`', default: '`auto`', description: 'sshd via syslog/journald text, nginx/Apache combined access log, or either per line.' },
  { key: 'logs[].startAt', type: '`end` \\| `beginning`', default: '`end`', description: 'Where to start the first time a file is seen; afterwards the agent resumes where it stopped.' },
  { key: 'scenarios.disabled', type: 'string[]', default: '`[]`', description: 'Names of built-in scenarios to turn off, e.g. `quorum/ssh-slow-bf`.' },
  { key: 'scenarios.custom', type: 'scenario[]', default: '`[]`', description: 'Extra leaky-bucket scenarios, same shape as the built-ins (see "Scenarios").' },
  { key: 'scenarios.crossIp', type: 'cross-IP scenario[]', default: '`[]`', description: 'Extra or replacement cross-IP scenarios (see "Distributed attacks"); `scenarios.disabled` turns built-ins off.' },
  { key: 'scenarios.loginMemory', type: 'duration', default: '`24h`', description: 'How long a successful login vouches for its address: never flagged by the cross-IP stage, never blocked locally.' },
  { key: 'remediation.enabled', type: 'boolean', default: '`true`', description: 'Block the agent\'s own detections through `outputs` at once, merged with the community list.' },
  { key: 'remediation.dryRun', type: 'boolean', default: '`false`', description: 'Decide and log local decisions (and count them in the status) without writing them to the outputs.' },
  { key: 'remediation.duration', type: 'duration', default: '`4h`', description: 'How long a local decision lasts; a new detection of the same address extends it.' },
  { key: 'remediation.durations', type: 'object', default: '`{}`', description: 'Per-scenario durations, e.g. `{ "quorum/ssh-distributed-bf": "1h" }`.' },
  { key: 'remediation.maxDecisions', type: 'integer', default: '`100000`', description: 'Most local decisions kept at once (the ones closest to expiry leave first).' },
  { key: 'allowlist', type: 'string[]', default: '`[]`', description: 'IPs / CIDRs never reported and never blocked locally. The host\'s own addresses always are.' },
  { key: 'ignorePrivateAddresses', type: 'boolean', default: '`true`', description: 'Never report loopback, RFC 1918, CGNAT, link-local and ULA addresses.' },
  { key: 'push.batchSize', type: 'integer 1-250', default: '`250`', description: 'Signals per signed batch.' },
  { key: 'push.flushInterval', type: 'duration', default: '`5s`', description: 'Longest wait before a non-full batch is sent.' },
  { key: 'push.minBackoff', type: 'duration', default: '`1s`', description: 'First retry delay after a failed push (exponential with jitter; `Retry-After` wins).' },
  { key: 'push.maxBackoff', type: 'duration', default: '`5m`', description: 'Longest retry delay.' },
  { key: 'push.gzip', type: 'boolean', default: '`true`', description: 'Compress batch bodies (the signature covers the uncompressed JSON).' },
  { key: 'pull.enabled', type: 'boolean', default: '`true`', description: 'Pull the community blocklist and apply it through `outputs`.' },
  { key: 'pull.interval', type: 'duration', default: '`60s`', description: 'Delay between blocklist delta requests (minimum 10s).' },
  { key: 'outputs[].type', type: '`nftables` \\| `ipset` \\| `text` \\| `exec`', default: '(required)', description: 'How the blocklist is written; `exec` writes a file in `format` and runs `command`.' },
  { key: 'outputs[].path', type: 'path', default: '`<stateDir>/blocklist.{nft,ipset,txt}`', description: 'File replaced atomically on each change.' },
  { key: 'outputs[].format', type: '`text` \\| `nftables` \\| `ipset`', default: '`text`', description: 'Only for `exec`: the format of the file passed to the command.' },
  { key: 'outputs[].command', type: 'string[]', default: '(none; required for `exec`)', description: 'Program and arguments run after the file changed, with the file path appended, no shell. E.g. `["/usr/sbin/nft", "-f"]`.' },
  { key: 'outputs[].timeout', type: 'duration', default: '`30s`', description: 'The command is killed (SIGTERM, then SIGKILL) after this long.' },
  { key: 'outputs[].mode', type: 'octal string', default: '`"0644"`', description: 'File mode of the written file.' },
  { key: 'outputs[].family', type: 'nft family', default: '`inet`', description: 'nftables only: table family.' },
  { key: 'outputs[].table', type: 'name', default: '`quorum`', description: 'nftables only: table name.' },
  { key: 'outputs[].setV4', type: 'name', default: '`quorum_v4` / `quorum-v4`', description: 'nftables / ipset: IPv4 set name.' },
  { key: 'outputs[].setV6', type: 'name', default: '`quorum_v6` / `quorum-v6`', description: 'nftables / ipset: IPv6 set name.' },
  { key: 'outputs[].hooks', type: '(`input` \\| `forward`)[]', default: '`["input"]`', description: 'nftables only: base chains of the table that drop traffic from the sets (`forward` for a router or container host).' },
  { key: 'outputs[].maxElem', type: 'integer', default: '`1048576`', description: 'ipset only: `maxelem` of the sets (fixed, so `create -exist` stays idempotent).' },
  { key: 'statusFile', type: 'path', default: '`<stateDir>/status.json`', description: 'Small JSON status written by `run` and read by `status`.' },
  { key: 'logLevel', type: '`debug` \\| `info` \\| `warn` \\| `error`', default: '`info`', description: 'Minimum level of the JSON log lines written to stderr.' },
];

export function renderConfigReference(): string {
  const rows = CONFIG_REFERENCE.map((d) => `| \`${d.key}\` | ${d.type} | ${d.default} | ${d.description} |`);
  return ['| key | type | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
