import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { loadPrivateKey, loadPublicKey } from '../sign/agent-keys.js';
import { signBatch, verifyBatch } from '../sign/batch-signature.js';
import { runCli } from './cli-main.js';

describe('quorum-agent CLI', () => {
  let dir: string;
  let out: string;
  let err: string;

  const run = (args: string[], stdinText = '') =>
    runCli(
      args,
      {
        out: (t) => {
          out += t;
        },
        err: (t) => {
          err += t;
        },
        env: {},
      },
      { stdin: Readable.from([stdinText]), stop: Promise.resolve() },
    );

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quorum-cli-'));
    out = '';
    err = '';
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  describe('init', () => {
    it('creates the config, a 0700 state dir and a working 0600 key pair', async () => {
      const config = join(dir, 'etc', 'config.json');
      const state = join(dir, 'state');
      expect(await run(['init', '--config', config, '--server', 'https://q.example', '--state-dir', state])).toBe(0);
      const written = JSON.parse(await readFile(config, 'utf8'));
      expect(written).toMatchObject({ server: { url: 'https://q.example' }, stateDir: state });
      expect((await stat(state)).mode & 0o777).toBe(0o700);
      expect((await stat(join(state, 'agent.key'))).mode & 0o777).toBe(0o600);
      expect((await stat(join(state, 'agent.pub'))).mode & 0o777).toBe(0o600);
      const body = Buffer.from('{"signals":[]}');
      const headers = signBatch('a1', await loadPrivateKey(join(state, 'agent.key')), body, Date.now());
      expect(verifyBatch('a1', await loadPublicKey(join(state, 'agent.pub')), body, headers)).toBe(true);
      expect(out).toContain('BEGIN PUBLIC KEY');
      expect(out).toContain('(created, mode 0600)');
    });

    it('is idempotent: a second run keeps the config and the keys', async () => {
      const config = join(dir, 'config.json');
      const state = join(dir, 'state');
      await run(['init', '--config', config, '--server', 'https://q.example', '--state-dir', state]);
      const key = await readFile(join(state, 'agent.key'), 'utf8');
      const cfg = await readFile(config, 'utf8');
      out = '';
      expect(await run(['init', '--config', config])).toBe(0);
      expect(await readFile(join(state, 'agent.key'), 'utf8')).toBe(key);
      expect(await readFile(config, 'utf8')).toBe(cfg);
      expect(out).toContain('(kept, mode 0600)');
    });

    it('needs --server to create a config', async () => {
      expect(await run(['init', '--config', join(dir, 'c.json')])).toBe(1);
      expect(err).toContain('--server URL is required');
    });

    it('reports a broken existing config without a stack trace', async () => {
      const config = join(dir, 'c.json');
      await writeFile(config, '{"server": {"url": "nope"}}');
      expect(await run(['init', '--config', config])).toBe(1);
      expect(err).toMatch(/^quorum-agent: invalid configuration .*\n {2}server.url: must match/);
    });
  });

  it('check-config prints the resolved config and the active scenarios', async () => {
    const config = join(dir, 'c.json');
    await writeFile(config, JSON.stringify({ server: { url: 'https://q' }, scenarios: { disabled: ['quorum/ssh-slow-bf', 'nope/x'] } }));
    expect(await run(['check-config', '--config', config])).toBe(0);
    const printed = JSON.parse(out);
    expect(printed.activeScenarios).toEqual(['quorum/ssh-bf@1.0', 'quorum/ssh-user-enum@1.0', 'quorum/http-probing@1.0', 'quorum/http-sensitive-paths@1.0']);
    expect(err).toContain('unknown scenario: nope/x');
  });

  it('detect prints one JSON signal per overflow, from files and stdin, minus allowlisted sources', async () => {
    const log = join(dir, 'auth.log');
    const attempts = (ip: string) => Array.from({ length: 6 }, (_, i) => `Nov 25 17:00:0${i} h sshd[1]: Failed password for root from ${ip} port 2 ssh2`);
    await writeFile(log, `${attempts('203.0.113.5').join('\n')}\n${attempts('198.51.100.1').join('\n')}\n`);
    const config = join(dir, 'c.json');
    await writeFile(config, JSON.stringify({ server: { url: 'https://q' }, allowlist: ['198.51.100.0/24'] }));
    expect(await run(['detect', '--config', config, log, '-'], attempts('192.0.2.77').join('\n'))).toBe(0);
    const signals = out.trim().split('\n').map((l) => JSON.parse(l));
    // the fifth attempt overflows the slow scenario (Fail2Ban's 5 in 10 minutes), the sixth the fast one
    expect(signals.map((s) => `${s.scenario} ${s.ip}`)).toEqual(['quorum/ssh-slow-bf 203.0.113.5', 'quorum/ssh-bf 203.0.113.5', 'quorum/ssh-slow-bf 192.0.2.77', 'quorum/ssh-bf 192.0.2.77']);
    expect(JSON.parse(err)).toMatchObject({ lines: 18, suppressed: 2 });
  });

  it('rejects unknown commands and options with status 2', async () => {
    expect(await run(['frobnicate'])).toBe(2);
    expect(await run(['detect', '--bogus', 'x'])).toBe(2);
    expect(await run(['detect', '--format', 'xml', 'x'])).toBe(1);
    expect(await run(['help'])).toBe(0);
    expect(out).toContain('usage: quorum-agent');
  });
});
