import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigError, loadConfig, parseConfig, starterConfig } from './config.js';
import { CONFIG_REFERENCE, renderConfigReference } from './config-reference.js';
import { BUILTIN_SCENARIOS } from './detect/builtin-scenarios.js';

function issuesOf(raw: unknown): string[] {
  try {
    parseConfig(raw, '/etc/quorum');
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  return [];
}

describe('parseConfig', () => {
  it('fills defaults around the one required key', () => {
    const c = parseConfig({ server: { url: 'https://q.example/' } }, '/etc/quorum');
    expect(c).toEqual({
      server: { url: 'https://q.example', timeoutMs: 15_000 },
      stateDir: '/var/lib/quorum-agent',
      privateKeyFile: '/var/lib/quorum-agent/agent.key',
      logs: [],
      scenarios: { disabled: [], custom: [], crossIp: [], loginMemoryMs: 86_400_000 },
      remediation: { enabled: true, dryRun: false, durationMs: 14_400_000, durationsMs: {}, maxDecisions: 100_000 },
      allowlist: [],
      ignorePrivateAddresses: true,
      push: { batchSize: 250, flushIntervalMs: 5_000, minBackoffMs: 1_000, maxBackoffMs: 300_000, gzip: true },
      pull: { enabled: true, intervalMs: 60_000 },
      outputs: [],
      statusFile: '/var/lib/quorum-agent/status.json',
      logLevel: 'info',
    });
  });

  it('reads logs, outputs and durations, resolving relative paths against the config directory', () => {
    const c = parseConfig(
      {
        server: { url: 'http://127.0.0.1:3000', timeout: '2s' },
        stateDir: 'state',
        logs: [{ path: 'auth.log', format: 'sshd' }, { path: '/var/log/nginx/access.log', format: 'http-access', startAt: 'beginning' }],
        push: { batchSize: 100, flushInterval: '1s', minBackoff: '500ms', maxBackoff: '1m' },
        pull: { interval: '30s' },
        outputs: [
          { type: 'nftables', command: ['/usr/sbin/nft', '-f'], table: 'qa', setV4: 'bad4' },
          { type: 'ipset', path: 'x.ipset', setV4: 'q4', maxElem: 65536, mode: '0600' },
          { type: 'exec', command: ['/usr/local/bin/hook'], format: 'text', timeout: '5s' },
        ],
      },
      '/etc/quorum',
    );
    expect(c.stateDir).toBe('/etc/quorum/state');
    expect(c.logs).toEqual([
      { path: '/etc/quorum/auth.log', format: 'sshd', startAt: 'end' },
      { path: '/var/log/nginx/access.log', format: 'http-access', startAt: 'beginning' },
    ]);
    expect(c.push).toMatchObject({ batchSize: 100, flushIntervalMs: 1000, minBackoffMs: 500, maxBackoffMs: 60_000 });
    expect(c.outputs[0]).toMatchObject({ format: 'nftables', path: '/etc/quorum/state/blocklist.nft', nftables: { table: 'qa', setV4: 'bad4', setV6: 'quorum_v6', hooks: ['input'] } });
    expect(c.outputs[1]).toMatchObject({ format: 'ipset', path: '/etc/quorum/x.ipset', mode: 0o600, ipset: { setV4: 'q4', setV6: 'quorum-v6', maxElem: 65536 } });
    expect(c.outputs[2]).toMatchObject({ type: 'exec', format: 'text', path: '/etc/quorum/state/blocklist.txt', timeoutMs: 5000 });
  });

  it('reports every problem at once, with paths', () => {
    const issues = issuesOf({
      server: { url: 'ftp://x' },
      srever: {},
      allowlist: ['10.0.0.0/8', 'nope'],
      logs: [{ path: '/a', format: 'syslog' }, { path: '/a' }],
      push: { batchSize: 1000, flushInterval: 'soon' },
      pull: { interval: '1s' },
      outputs: [{ type: 'exec' }, { type: 'nftables', maxElem: 5 }, { type: 'ipset', setV4: 'a-name-much-too-long-for-ipset-sets' }, { type: 'pf' }],
      scenarios: { custom: [{ name: 'x' }] },
      logLevel: 'loud',
    });
    const expected = [
      'server.url: must match',
      '(root).srever: unknown key',
      'allowlist[1]: not an IP or CIDR',
      'logs[0].format: must be one of',
      'logs: /a is listed twice',
      'push.batchSize: must be <= 250',
      'push.flushInterval: not a duration',
      'pull.interval: must be at least 10000ms',
      'outputs[0].command: is required',
      'outputs[1].maxElem: not used by the nftables format',
      'outputs[2].setV4: must match',
      'outputs[3].type: must be one of',
      'scenarios.custom[0].name: must match',
      '(root).logLevel: must be one of',
    ];
    for (const e of expected) expect(issues).toEqual(expect.arrayContaining([expect.stringContaining(e)]));
  });

  it('rejects a document that is not an object', () => {
    expect(issuesOf([])).toEqual(expect.arrayContaining([expect.stringContaining('(root): expected an object')]));
  });

  it('accepts custom scenarios in the built-in shape', () => {
    const custom = { ...BUILTIN_SCENARIOS[0], name: 'local/ssh-strict', capacity: 2 };
    const c = parseConfig({ server: { url: 'https://q' }, scenarios: { custom: [custom], disabled: ['quorum/ssh-slow-bf'] } }, '/');
    expect(c.scenarios.custom).toEqual([custom]);
  });

  it('accepts the starter configuration written by init', () => {
    expect(() => parseConfig(starterConfig('https://quorum.example', '/var/lib/quorum-agent'), '/')).not.toThrow();
  });

  it('loadConfig explains a JSON syntax error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'quorum-cfg-'));
    try {
      const file = join(dir, 'agent.json');
      await writeFile(file, '{ "server": ');
      await expect(loadConfig(file)).rejects.toThrow(/not valid JSON/);
      await writeFile(file, JSON.stringify({ server: { url: 'https://q' }, stateDir: 'st' }));
      expect((await loadConfig(file)).stateDir).toBe(join(dir, 'st'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('remediation and cross-IP configuration', () => {
  it('reads durations per scenario and custom cross-IP scenarios', () => {
    const c = parseConfig(
      {
        server: { url: 'https://q' },
        remediation: { dryRun: true, duration: '30m', durations: { 'quorum/ssh-distributed-bf': '1h' } },
        scenarios: {
          loginMemory: '2h',
          crossIp: [
            {
              name: 'local/imap-distributed',
              version: '1',
              description: 'x',
              filter: { source: 'sshd', kinds: ['ssh_auth_failed'] },
              attack: { distinctSources: 50, window: '5m', hold: '30m' },
              flag: { attempts: 3, memory: '1h' },
            },
          ],
        },
      },
      '/etc',
    );
    expect(c.remediation).toEqual({ enabled: true, dryRun: true, durationMs: 1_800_000, durationsMs: { 'quorum/ssh-distributed-bf': 3_600_000 }, maxDecisions: 100_000 });
    expect(c.scenarios.loginMemoryMs).toBe(7_200_000);
    expect(c.scenarios.crossIp.map((s) => s.name)).toEqual(['local/imap-distributed']);
  });

  it('reports bad values with their paths', () => {
    const issues = issuesOf({ server: { url: 'https://q' }, remediation: { duration: 'forever', durations: { x: 5 } }, scenarios: { crossIp: [{ name: 'bad' }] } });
    expect(issues).toEqual(expect.arrayContaining([expect.stringMatching(/^remediation\.duration:/), expect.stringMatching(/^remediation\.durations\.x:/), expect.stringMatching(/^scenarios\.crossIp\[0\]/)]));
  });
});

describe('configuration reference', () => {
  /** The keys the parser accepts, read from its own "unknown key (allowed: ...)" messages. */
  function acceptedKeys(): string[] {
    const probe = { bogus: 1, server: { bogus: 1 }, push: { bogus: 1 }, pull: { bogus: 1 }, scenarios: { bogus: 1 }, remediation: { bogus: 1 }, logs: [{ bogus: 1 }], outputs: [{ type: 'text', bogus: 1 }] };
    const keys: string[] = [];
    for (const issue of issuesOf(probe)) {
      const m = /^(.*)\.bogus: unknown key \(allowed: (.*)\)$/.exec(issue);
      if (!m) continue;
      const prefix = m[1] === '(root)' ? '' : `${m[1].replace(/\[0\]$/, '[]')}.`;
      for (const k of m[2].split(', ')) keys.push(`${prefix}${k}`);
    }
    return keys;
  }

  it('documents exactly the keys the parser accepts (object-valued keys through their children)', () => {
    const documented = CONFIG_REFERENCE.map((d) => d.key);
    const accepted = acceptedKeys();
    const leaves = accepted.filter((k) => !accepted.some((o) => o.startsWith(`${k}.`) || o.startsWith(`${k}[].`)));
    expect([...leaves].sort()).toEqual([...documented].sort());
  });

  it('is the table in the README', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain(renderConfigReference());
  });
});
