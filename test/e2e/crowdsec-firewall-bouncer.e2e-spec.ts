import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BouncerKeysService } from '../../src/crowdsec/bouncer-keys.service.js';
import { createOrganization } from '../factories/agent.factory.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';
import { listing, publishAndWait } from '../crowdsec/capi-client.js';
import { ensureCrowdsec, SCRIPTS, TcpForwarder, waitFor } from '../crowdsec/real-clients.js';
import { addNamespace, ip, removeNamespace } from '../support/netns.js';

/**
 * Debian's real crowdsec-firewall-bouncer (nftables mode) pulls Quorum's /v1/decisions/stream from
 * inside a network namespace this test creates (its nftables tables live there only), reaching
 * Quorum through a veth pair: a listing appears in its nft set, and its removal takes it out.
 */
const ns = `qcsfw${process.pid}`;
const hostIf = `qcfh${process.pid % 100_000}`;
const nsIf = `qcfn${process.pid % 100_000}`;
const third = randomInt(0, 256);
const base = randomInt(0, 64) * 4;
const hostAddr = `10.231.${third}.${base + 1}`;
const nsAddr = `10.231.${third}.${base + 2}`;
const CLASS = 'crowdsecurity/ssh-bf';

function cannotRun(): string | null {
  const missing = ensureCrowdsec();
  if (missing) return missing;
  try {
    execFileSync('which', ['crowdsec-firewall-bouncer', 'nft'], { stdio: 'ignore' });
  } catch {
    return 'crowdsec-firewall-bouncer or nft missing after scripts/ensure-crowdsec.sh';
  }
  return addNamespace(ns);
}

const unavailable = cannotRun();
if (unavailable) console.warn(`SKIPPED crowdsec-firewall-bouncer: ${unavailable}`);
const suite = unavailable ? describe.skip : describe;

function cleanup(): void {
  removeNamespace(ns, hostIf);
}

/** The IPv4 set's elements inside the namespace (timeouts stripped). */
function setElements(): string[] {
  let out: string;
  try {
    out = ip('netns', 'exec', ns, 'nft', 'list', 'set', 'ip', 'crowdsec', 'crowdsec-blacklists');
  } catch {
    return [];
  }
  const body = /elements = \{([^}]*)\}/s.exec(out)?.[1] ?? '';
  return body
    .split(',')
    .map((e) => e.trim().split(/\s+/)[0])
    .filter((e) => e.length > 0);
}

suite('real crowdsec-firewall-bouncer (nftables) in a network namespace against Quorum', () => {
  let t: TestApp & { url: string };
  let forwarder: TcpForwarder;
  let bouncer: ChildProcess | undefined;
  let dir: string;

  beforeAll(async () => {
    try {
      ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
      ip('link', 'set', nsIf, 'netns', ns);
      ip('addr', 'add', `${hostAddr}/30`, 'dev', hostIf);
      ip('link', 'set', hostIf, 'up');
      ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${nsAddr}/30`, 'dev', nsIf);
      ip('netns', 'exec', ns, 'ip', 'link', 'set', nsIf, 'up');
      ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
    } catch (error) {
      cleanup();
      throw error;
    }
    dir = mkdtempSync(join(tmpdir(), 'quorum-firewall-bouncer-'));
    t = await listenTestApp();
    // Quorum listens on loopback; the namespace reaches it through the host end of the veth.
    forwarder = new TcpForwarder(Number(new URL(t.url).port), hostAddr);
    await forwarder.start();
  });

  afterAll(async () => {
    if (bouncer?.pid && bouncer.exitCode === null) {
      bouncer.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 1_000));
      if (bouncer.exitCode === null) bouncer.kill('SIGKILL');
    }
    await forwarder?.stop();
    if (t) await t.close();
    cleanup();
    if (dir && !process.env.QUORUM_KEEP_CROWDSEC_DIR) rmSync(dir, { recursive: true, force: true });
    expect(ip('netns', 'list')).not.toContain(ns);
  });

  it('adds a Quorum listing to its nft set and removes it when Quorum delists', async () => {
    const [listed, kept] = [`193.33.${third}.${base + 9}`, `193.33.${third}.${base + 10}`];
    await publishAndWait(t.app, [listing(listed, CLASS), listing(kept, CLASS)]);
    const { organizationId } = await createOrganization(t.app, 'firewall bouncer');
    const { key } = await t.app.get(BouncerKeysService).create(organizationId, 'nftables-bouncer');

    const log = createWriteStream(join(dir, 'bouncer.log'));
    bouncer = spawn('bash', [join(SCRIPTS, 'firewall-bouncer.sh'), ns, dir, `http://${hostAddr}:${forwarder.port}/`, key], { stdio: ['ignore', 'pipe', 'pipe'] });
    bouncer.stdout?.pipe(log);
    bouncer.stderr?.pipe(log);
    const bouncerLog = () => readFileSync(join(dir, 'bouncer.log'), 'utf8');

    await waitFor('both listings in the nft set', 45_000, () => {
      if (bouncer?.exitCode !== null) throw new Error(`the bouncer exited: ${bouncerLog()}`);
      const elements = setElements();
      return elements.includes(listed) && elements.includes(kept) ? elements : null;
    });
    // The drop rule exists, inside the namespace only.
    expect(ip('netns', 'exec', ns, 'nft', 'list', 'chain', 'ip', 'crowdsec', 'crowdsec-chain')).toMatch(/ip saddr @crowdsec-blacklists .*drop/);
    expect(() => execFileSync('nft', ['list', 'table', 'ip', 'crowdsec'], { stdio: 'ignore' })).toThrow();

    await publishAndWait(t.app, [listing(listed, CLASS, 1, 'remove')]);
    await waitFor('the removal in the nft set', 45_000, () => {
      const elements = setElements();
      return !elements.includes(listed) && elements.includes(kept) ? elements : null;
    });
    expect(forwarder.connections).toBeGreaterThan(0);
  }, 150_000);
});
