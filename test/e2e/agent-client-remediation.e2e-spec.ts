import { execFileSync, spawnSync } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Readable } from 'node:stream';

import { AgentRuntime } from '../../agent-client/src/agent/agent-runtime.js';
import { runCli } from '../../agent-client/src/commands/cli-main.js';
import { registerAgent } from '../../agent-client/src/commands/register.js';
import { type AgentConfig, parseConfig } from '../../agent-client/src/config.js';
import { generateAgentKeys, writeAgentKeys } from '../../agent-client/src/sign/agent-keys.js';
import { renderNftables as agentNftables } from '../../agent-client/src/output/render.js';
import { jsonLogger } from '../../agent-client/src/util/logger.js';
import { renderNftables as serviceNftables } from '../../src/blocklist/render/nftables.js';
import { createOrganization } from '../factories/agent.factory.js';
import { attackerIp } from '../factories/signal.factory.js';
import { sql } from '../setup/db.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';
import { waitFor } from '../support/waits.js';

const OVERRIDES = { QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000' };


/** A private network namespace with nft in it, so the test loads real kernel sets without touching the host's firewall. */
function netnsWithNft(name: string): boolean {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || spawnSync('sh', ['-c', 'command -v nft && command -v ip']).status !== 0) return false;
  spawnSync('ip', ['netns', 'del', name]);
  return spawnSync('ip', ['netns', 'add', name]).status === 0 && spawnSync('ip', ['netns', 'exec', name, 'nft', 'list', 'tables']).status === 0;
}

/** One failed sshd attempt, as sshd logs it (three lines for a user name that does not exist). */
function attempt(at: number, ip: string, port: number, user: string): string {
  const ts = new Date(at).toISOString();
  return [
    `${ts} web1 sshd[${port}]: Invalid user ${user} from ${ip} port ${port}`,
    `${ts} web1 sshd[${port}]: Failed password for invalid user ${user} from ${ip} port ${port} ssh2`,
    `${ts} web1 sshd[${port}]: Connection closed by invalid user ${user} ${ip} port ${port} [preauth]`,
  ].join('\n');
}

describe('reference agent: local remediation under a replayed distributed attack', () => {
  let t: TestApp;
  let dir: string;
  let config: AgentConfig;
  const ns = `qagent-e2e-${process.pid}`;
  let kernel = false;
  const log = () => join(dir, 'auth.log');
  const nftFile = () => join(dir, 'blocklist.nft');
  const inKernelSet = (ip: string) => spawnSync('ip', ['netns', 'exec', ns, 'nft', 'get', 'element', 'inet', 'quorum', 'quorum_v4', `{ ${ip} }`]).status === 0;

  beforeAll(async () => {
    const listening = await listenTestApp(OVERRIDES);
    t = listening;
    dir = await mkdtemp(join(tmpdir(), 'quorum-agent-remediation-'));
    await writeFile(log(), '');
    kernel = netnsWithNft(ns);
    const raw = {
      server: { url: listening.url, timeout: '10s' },
      stateDir: 'state',
      logs: [{ path: 'auth.log', format: 'sshd', startAt: 'beginning' }],
      outputs: [{ type: 'nftables', path: 'blocklist.nft', ...(kernel ? { command: ['ip', 'netns', 'exec', ns, 'nft', '-f'], timeout: '10s' } : {}) }],
      push: { flushInterval: '100ms', minBackoff: '50ms', maxBackoff: '200ms' },
      remediation: { duration: '1h' },
    };
    await writeFile(join(dir, 'config.json'), JSON.stringify(raw));
    config = parseConfig(raw, dir);
    config.remediation.durationMs = 6_000; // below the configurable minimum, for the test only
    await mkdir(config.stateDir, { recursive: true });
    await writeAgentKeys(config.privateKeyFile, generateAgentKeys());
    const org = await createOrganization(t.app, 'agent-remediation-e2e');
    const io = { out: () => undefined, err: () => undefined, env: {} };
    expect(await registerAgent({ configPath: join(dir, 'config.json'), enrollKey: org.enrollKey, tags: [], force: false }, io)).toBe(0);
  });

  afterAll(async () => {
    await t?.close();
    if (kernel) spawnSync('ip', ['netns', 'del', ns]);
    await rm(dir, { recursive: true, force: true });
  });

  it('blocks the attackers within seconds without any central listing, spares the legitimate user, reports cross-IP signals, and drops the blocks at expiry', async () => {
    const logLines: string[] = [];
    const rt = new AgentRuntime(config, jsonLogger('info', (l) => logLines.push(l)), { checkpointMs: 200, tickMs: 100 });
    await rt.start();
    try {
      // other test files share this database and may have listed addresses centrally; none of the attackers below is
      const first = await readFile(nftFile(), 'utf8');

      const now = Date.now();
      // every other address, so no two are adjacent and the rendered set lists each one as such
      const bots = Array.from({ length: 30 }, () => (attackerIp(), attackerIp()));
      const user = attackerIp();
      const lines: string[] = [`${new Date(now - 60_000).toISOString()} web1 sshd[7]: Accepted publickey for alice from ${user} port 7 ssh2: ED25519 SHA256:x`];
      // 30 addresses, two slow attempts each (far under any per-address bucket), within 40 seconds
      bots.forEach((ip, i) => lines.push(attempt(now - 40_000 + i * 500, ip, 10_000 + i, 'oracle'), attempt(now - 20_000 + i * 500, ip, 20_000 + i, 'admin')));
      // the legitimate user mistypes her password twice meanwhile
      lines.push(attempt(now - 10_000, user, 30_000, 'alice'), attempt(now - 9_000, user, 30_001, 'alice'));
      expect(bots.filter((ip) => first.includes(ip))).toEqual([]);
      const started = Date.now();
      await appendFile(log(), `${lines.join('\n')}\n`);

      const inFile = async () => {
        const text = await readFile(nftFile(), 'utf8');
        return bots.filter((ip) => new RegExp(`^add element inet quorum quorum_v4 \\{[^}]*\\b${ip.replaceAll('.', '\\.')}\\b`, 'm').test(text));
      };
      await waitFor('every attacker in the nftables file', 15_000, async () => (await inFile()).length === bots.length);
      expect(Date.now() - started).toBeLessThan(10_000);
      const text = await readFile(nftFile(), 'utf8');
      expect(text).not.toContain(user);
      if (kernel) {
        // nft -f runs right after the file is replaced
        await waitFor('every attacker in the kernel set', 15_000, () => bots.every(inKernelSet));
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(inKernelSet(user)).toBe(false);
      }

      // reported too, labelled as the cross-IP stage's evidence
      await waitFor('the signals stored', 15_000, async () => (await sql(t.config.database.url, 'SELECT 1 FROM signal WHERE ip = ANY($1)', [bots])).length === bots.length);
      const rows = (await sql(t.config.database.url, 'SELECT scenario, labels FROM signal WHERE ip = ANY($1)', [bots])) as { scenario: string; labels: Record<string, unknown> }[];
      expect(rows.every((r) => r.scenario === 'quorum/ssh-distributed-bf' && r.labels.classification === 'cross-ip')).toBe(true);
      expect(await sql(t.config.database.url, 'SELECT 1 FROM signal WHERE ip = $1', [user])).toHaveLength(0);
      // one info line per push and per local apply
      expect(logLines.some((l) => l.includes('"signals pushed"'))).toBe(true);
      expect(logLines.some((l) => l.includes('"local decisions applied"'))).toBe(true);

      // the local decisions end after their duration: the file, and the kernel set, are empty again
      await waitFor('the blocks dropped at expiry', 20_000, async () => (await inFile()).length === 0);
      if (kernel) {
        await waitFor('the kernel set emptied', 15_000, () => !bots.some(inKernelSet));
        // what stays in the kernel set is exactly the community part of the file: no local decision lingers
        const kernelSet = execFileSync('ip', ['netns', 'exec', ns, 'nft', 'list', 'set', 'inet', 'quorum', 'quorum_v4'], { encoding: 'utf8' });
        const elements = (kernelSet.match(/elements = \{([^}]*)\}/)?.[1] ?? '').split(',').map((e) => e.trim().split(/\s+/)[0]).filter(Boolean);
        const fileNow = await readFile(nftFile(), 'utf8');
        expect(elements.filter((e) => !fileNow.includes(e))).toEqual([]);
        expect(elements.filter((e) => bots.includes(e) || e === user)).toEqual([]);
      }
      expect(rt.status().remediation).toMatchObject({ decisions: 0, expired: bots.length });
    } finally {
      await rt.stop();
    }
  });

  it("renders the service's nftables layout: the same table, sets, chain and drop rules as GET /v1/blocklist?format=nftables", () => {
    const service = serviceNftables([], { version: 1, generatedAt: new Date(), now: new Date() }).toString('utf8');
    const agent = agentNftables({ v4: [], v6: [] }, config.outputs[0].nftables);
    const declarations = (text: string) => text.slice(text.indexOf('table '), text.indexOf('\n}\n') + 3);
    const statements = (text: string) => text.split('\n').filter((l) => l.startsWith('flush ') || l.startsWith('add rule '));
    expect(declarations(agent)).toBe(declarations(service));
    expect(statements(agent)).toEqual(statements(service));
  });

  it('`quorum-agent token` and `quorum-agent blocklist` let one try the API by hand', async () => {
    const cli = async (args: string[]) => {
      let out = '';
      let err = '';
      const io = { out: (x: string) => void (out += x), err: (x: string) => void (err += x), env: {} };
      const code = await runCli([...args, '--config', join(dir, 'config.json')], io, { stdin: Readable.from([]), stop: Promise.resolve() });
      return { code, out, err };
    };
    const token = await cli(['token']);
    expect(token.code).toBe(0);
    const res = await fetch(`${config.server.url}/v1/blocklist?format=txt`, { headers: { authorization: `Bearer ${token.out.trim()}` } });
    expect(res.status).toBe(200);
    const nft = await cli(['blocklist', '--format', 'nftables']);
    expect(nft.code).toBe(0);
    expect(nft.out).toContain('table inet quorum {');
    expect(nft.out).toContain('add rule inet quorum input ip saddr @quorum_v4 counter drop');
    expect(await cli(['blocklist', '--format', 'xml'])).toMatchObject({ code: 1, err: expect.stringContaining('--format must be one of') });
  });
});
