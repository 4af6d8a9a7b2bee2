import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCrowdsec } from '../../src/cli/run-crowdsec.js';
import { createOrganization } from '../factories/agent.factory.js';
import { sql } from '../setup/db.js';
import { testEnv } from '../setup/test-env.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { capiSignal, randomAttackerIp } from '../crowdsec/capi-client.js';


/** `quorum crowdsec connect` and `quorum crowdsec bouncer-key create`, run in-process on the test database. */
describe('quorum crowdsec CLI', () => {
  let t: TestApp;
  let dir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    t = await createTestApp();
    Object.assign(process.env, testEnv());
    dir = mkdtempSync(join(tmpdir(), 'quorum-crowdsec-cli-'));
  });
  afterAll(async () => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  async function cli(args: string[]): Promise<{ code: number; text: string }> {
    let text = '';
    const code = await runCrowdsec(args, (chunk) => (text += chunk));
    return { code, text };
  }

  it('connect writes the exact online_api_credentials.yaml; the engine logs in with it and its pushes land in the organisation', async () => {
    const { organizationId } = await createOrganization(t.app, 'cli crowdsec');
    const file = join(dir, 'online_api_credentials.yaml');
    const { code, text } = await cli(['connect', '--org', organizationId, '--url', 'https://quorum.example', '--out', file]);
    expect(code).toBe(0);
    expect(text).toContain(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const yaml = readFileSync(file, 'utf8');
    expect(yaml).toMatch(/^url: https:\/\/quorum\.example\/\nlogin: [A-Za-z0-9]{48}\npassword: [A-Za-z0-9]{64}\n$/);
    const field = (name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(yaml)?.[1] ?? '';
    const creds = { login: field('login'), password: field('password') };
    const login = await t.app.inject({ method: 'POST', url: '/v2/watchers/login', payload: { machine_id: creds.login, password: creds.password, scenarios: [] } });
    expect(login.statusCode).toBe(200);
    const ip = randomAttackerIp();
    const pushed = await t.app.inject({ method: 'POST', url: '/v2/signals', headers: { authorization: `Bearer ${login.json().token}` }, payload: [capiSignal(ip)] });
    expect(pushed.statusCode).toBe(200);
    const agent = await sql(t.config.database.url, 'SELECT organization_id, kind FROM agent WHERE machine_id = $1', [creds.login]);
    expect(agent[0]).toEqual({ organization_id: organizationId, kind: 'crowdsec' });

    const printed = await cli(['connect', '--org', organizationId, '--url', 'http://10.0.0.5:3000/']);
    expect(printed.text).toMatch(/\nurl: http:\/\/10\.0\.0\.5:3000\/\nlogin: [A-Za-z0-9]{48}\npassword: [A-Za-z0-9]{64}\n$/);
  });

  it('bouncer-key create prints a key the LAPI stream accepts', async () => {
    const { organizationId } = await createOrganization(t.app, 'cli bouncer');
    const { code, text } = await cli(['bouncer-key', 'create', '--org', organizationId, '--name', 'edge-fw']);
    expect(code).toBe(0);
    const key = /api_key: (\S+)/.exec(text)?.[1] ?? '';
    expect((await t.app.inject({ method: 'HEAD', url: '/v1/decisions/stream', headers: { 'x-api-key': key } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'HEAD', url: '/v1/decisions/stream', headers: { 'x-api-key': `${key}x` } })).statusCode).toBe(403);
  });

  it('refuses unknown organisations and missing arguments', async () => {
    await expect(cli(['connect', '--org', '00000000-0000-4000-8000-000000000000', '--url', 'http://q/'])).rejects.toThrow('Organisation not found');
    expect((await cli(['connect'])).code).toBe(2);
    expect((await cli(['bouncer-key', 'list', '--org', 'x'])).code).toBe(2);
  });
});
