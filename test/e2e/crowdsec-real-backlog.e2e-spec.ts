import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrganization } from '../factories/agent.factory.js';
import { sql } from '../setup/db.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';
import {
  type EngineAlert,
  engineAlerts,
  ensureCrowdsec,
  freePort,
  loggedAlerts,
  nginxLine,
  pushTimes,
  run,
  sshdLines,
  TcpForwarder,
  waitFor,
} from '../crowdsec/real-clients.js';

/**
 * Debian's real CrowdSec engine (1.4.6, CAPI v2) against Quorum, through a TCP forwarder the test
 * can cut: (d) it reads an nginx access log, (b) a console enroll while it runs keeps its session
 * (its next push is stored), (a) a backlog raised while Quorum is unreachable (>= 300 signals over
 * >= 150 addresses) is stored exactly once when Quorum is back. Every wait is bounded.
 */
const PUSH_PERIOD_MS = 30_000;
const unavailable = ensureCrowdsec();
if (unavailable) console.warn(`SKIPPED crowdsec-real-backlog: ${unavailable}`);
const suite = unavailable ? describe.skip : describe;

type Counted = Map<string, number>;
function countPairs(pairs: Array<{ ip: string; scenario: string; n?: number }>): Counted {
  const counted: Counted = new Map();
  for (const p of pairs) counted.set(`${p.ip} ${p.scenario}`, (counted.get(`${p.ip} ${p.scenario}`) ?? 0) + (p.n ?? 1));
  return counted;
}

suite('real CrowdSec engine: nginx log, console enroll mid-run, backlog after an outage', () => {
  let t: TestApp & { url: string };
  let forwarder: TcpForwarder;
  let dir: string;
  let engineStarted = false;
  // A /16 of its own per run (91.x.0.0/16 minus 91.198, which the privacy netns test uses).
  const second = [randomInt(0, 198), randomInt(199, 256)][randomInt(0, 2)];
  const address = (i: number) => `91.${second}.${Math.floor(i / 250)}.${1 + (i % 250)}`;

  const stored = async (ips: string[]) =>
    sql<{ ip: string; scenario: string; n: string }>(
      t.config.database.url,
      'SELECT ip, scenario, count(*) AS n FROM signal WHERE ip = ANY($1) GROUP BY 1, 2',
      [ips],
    );
  const engineCounts = (alerts: EngineAlert[], ips: Set<string>) =>
    countPairs(alerts.filter((a) => ips.has(a.value)).map((a) => ({ ip: a.value, scenario: a.scenario })));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quorum-crowdsec-backlog-'));
    t = await listenTestApp({ QUORUM_ENROLL_MAX_PER_NETWORK_PER_DAY: '1000' });
    forwarder = new TcpForwarder(Number(new URL(t.url).port));
    const port = await forwarder.start();
    await run('engine.sh', [dir, 'start'], { CAPI_URL: `http://127.0.0.1:${port}/`, LAPI_PORT: String(await freePort()) }, 90_000);
    engineStarted = true;
  }, 120_000);

  afterAll(async () => {
    if (engineStarted) await run('engine.sh', [dir, 'stop'], {}, 20_000).catch(() => undefined);
    await forwarder?.stop();
    if (t) await t.close();
    if (dir && !process.env.QUORUM_KEEP_CROWDSEC_DIR) rmSync(dir, { recursive: true, force: true });
  });

  it('(d) raises http scenarios from an nginx access log and pushes them to Quorum', async () => {
    const scanner = address(1000);
    const sensitive = ['/.env', '/.git/config', '/backup.sql', '/.bash_history', '/db.sql.gz', '/.env.backup'];
    const probes = Array.from({ length: 14 }, (_, i) => `/admin-${i}/login.php`);
    const burst = () =>
      [
        ...sensitive.map((p) => nginxLine(scanner, p, 404)),
        ...probes.map((p) => nginxLine(scanner, p, 404)),
        nginxLine(scanner, '/', 200, 'Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000003)'),
        nginxLine(scanner, '/index.html', 200, 'Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000004)'),
      ].join('');
    const wanted = ['crowdsecurity/http-bad-user-agent', 'crowdsecurity/http-probing', 'crowdsecurity/http-sensitive-files'];
    // The engine tails its files from the end once its scenarios are loaded: feed until it alerts.
    const alerts = await waitFor('http alerts in the engine', 60_000, async () => {
      appendFileSync(join(dir, 'log/nginx-access.log'), burst());
      const found = (await engineAlerts(dir)).filter((a) => a.value === scanner);
      return wanted.every((s) => found.some((a) => a.scenario === s)) ? found : null;
    }, 2_000);
    // First push tick: 15-45 s after start.
    const expected = engineCounts(alerts, new Set([scanner]));
    await waitFor('the http signals in Quorum', 90_000, async () => {
      const rows = countPairs((await stored([scanner])).map((r) => ({ ...r, n: Number(r.n) })));
      return wanted.every((s) => rows.has(`${scanner} ${s}`)) ? rows : null;
    });
    const rows = countPairs((await stored([scanner])).map((r) => ({ ...r, n: Number(r.n) })));
    const final = engineCounts((await engineAlerts(dir)).filter((a) => a.value === scanner), new Set([scanner]));
    expect(rows).toEqual(final);
    expect(final.size).toBeGreaterThanOrEqual(expected.size);
  }, 180_000);

  it('(b) keeps the running engine\'s session across cscli console enroll: its next push is stored', async () => {
    const machineId = readFileSync(join(dir, 'machine_id'), 'utf8').trim();
    const org = await createOrganization(t.app, 'enrolled while running');
    await run('engine.sh', [dir, 'cscli', 'console', 'enroll', org.enrollKey, '--name', 'quorum-ci']);
    const moved = await sql(t.config.database.url, 'SELECT organization_id FROM agent WHERE machine_id = $1', [machineId]);
    expect(moved[0].organization_id).toBe(org.organizationId);
    const attacker = address(1001);
    await waitFor('an ssh-bf alert after the enroll', 30_000, async () => {
      appendFileSync(join(dir, 'log/auth.log'), sshdLines(attacker, 8));
      return (await engineAlerts(dir)).some((a) => a.value === attacker && a.scenario === 'crowdsecurity/ssh-bf');
    }, 2_000);
    // The engine pushes with the token it held before the enroll (1.4.6 never retries a 401).
    const rows = await waitFor('the post-enroll push in Quorum', 75_000, async () => {
      const found = await stored([attacker]);
      return found.some((r) => r.scenario === 'crowdsecurity/ssh-bf') ? found : null;
    });
    expect(rows.find((r) => r.scenario === 'crowdsecurity/ssh-bf')?.n).toBe('1');
    const log = readFileSync(join(dir, 'log/crowdsec.log'), 'utf8');
    expect(log).not.toMatch(/while sending (final )?chunk to central API/);
  }, 150_000);

  it('(a) stores every signal of a backlog raised while Quorum was unreachable exactly once', async () => {
    const ips = Array.from({ length: 160 }, (_, i) => address(i));
    const ipSet = new Set(ips);
    // Ticks are 30 s apart, counted from the last logged push: cut right after one, so the whole
    // backlog is raised while Quorum is unreachable and sent in one flush once it is back.
    const last = pushTimes(dir).at(-1);
    if (!last) throw new Error('the engine has not pushed yet');
    const nextTick = () => last.atMs + PUSH_PERIOD_MS * Math.ceil((Date.now() - last.atMs) / PUSH_PERIOD_MS);
    const tick = nextTick();
    await new Promise((r) => setTimeout(r, tick - Date.now() + 1_500));
    const before = forwarder.connections;
    await forwarder.cut();
    const cutAt = Date.now();
    appendFileSync(join(dir, 'log/auth.log'), ips.map((ip) => sshdLines(ip, 8)).join(''));
    // Quorum stays unreachable until 8 s before the next tick (probing the engine meanwhile would
    // only slow it down: cscli is slow while it writes hundreds of alerts).
    await new Promise((r) => setTimeout(r, tick + PUSH_PERIOD_MS - 8_000 - Date.now()));
    expect(forwarder.connections).toBe(before);
    await forwarder.restore();
    const outageMs = Date.now() - cutAt;
    expect(outageMs).toBeGreaterThan(10_000);

    // Done when Quorum holds exactly what the engine raised (alerts raised after the first flush
    // go out one tick later, Quorum being back by then).
    const sum = (c: Counted) => [...c.values()].reduce((a, b) => a + b, 0);
    let final: Counted = new Map();
    const rows = await waitFor('every backlog signal in Quorum, once', 150_000, async () => {
      final = engineCounts(loggedAlerts(dir), ipSet);
      const held = countPairs((await stored(ips)).map((r) => ({ ...r, n: Number(r.n) })));
      return sum(final) >= 300 && sum(held) >= sum(final) ? held : null;
    }, 3_000);
    expect(rows).toEqual(final);
    expect([...rows.values()].every((n) => n === 1)).toBe(true);
    expect(new Set([...final.keys()].map((k) => k.split(' ')[0])).size).toBeGreaterThanOrEqual(150);
    // It went out in flushes of back-to-back chunks of 50 (the first one holding at least the
    // alerts raised during the outage), and nothing was refused.
    const flushes = pushTimes(dir).filter((p) => p.atMs > cutAt);
    expect(flushes[0].count).toBeGreaterThanOrEqual(100);
    expect(flushes.reduce((n, p) => n + p.count, 0)).toBeGreaterThanOrEqual(sum(final));
    const log = readFileSync(join(dir, 'log/crowdsec.log'), 'utf8');
    expect(log).not.toMatch(/while sending (final )?chunk to central API/);
    const weights = await sql<{ n: string }>(t.config.database.url, 'SELECT count(*) AS n FROM signal WHERE ip = ANY($1) AND weight = 1', [ips]);
    expect(Number(weights[0].n)).toBe(sum(final));
  }, 240_000);
});
