import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { INestApplicationContext, Type } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module.js';
import { OperatorAuthService } from '../admin/operator-auth.service.js';
import { AgentsModule } from '../agents/agents.module.js';
import { DemoAgentsRepository } from '../agents/demo-agents.repository.js';
import { OrganizationsService } from '../agents/organizations.service.js';
import { ReporterIdentityService } from '../agents/reporter-identity.service.js';
import { DemoReportersRepository } from '../consensus/demo-reporters.repository.js';
import { JobName } from '../infra/queue/queue.constants.js';
import { QueueModule } from '../infra/queue/queue.module.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { LookupModule } from '../lookup/lookup.module.js';
import { ApiKeysService } from '../lookup/keys/api-keys.service.js';
import { type DemoAgentFile, type HttpClient, newDemoKeys } from './demo-agents.js';

const AGENTS_FILE = 'demo-agents.json';
const DAY_MS = 86_400_000;
export const DEMO_OPERATOR_EMAIL = 'admin@demo.quorum.local';

export interface DemoCredentials {
  operatorEmail: string;
  operatorPassword: string;
  apiKey: string;
  enrollKey: string;
  organizationId: string;
  agents: DemoAgentFile[];
}

/** One organisation per demo agent, each in its own network: consensus counts organisations and ASNs. */
const DEMO_SITES = [
  { org: 'Demo Hosting A', source: '81.2.69.10', asn: 64_601 },
  { org: 'Demo Hosting B', source: '89.160.20.10', asn: 64_602 },
  { org: 'Demo Hosting C', source: '175.16.199.10', asn: 64_603 },
  { org: 'Demo Hosting D', source: '216.160.83.10', asn: 64_604 },
];

/**
 * A service of the running application, taken from the module that provides it (strict: no search
 * across every module, so moving or renaming a provider fails here instead of finding another one).
 */
function provided<T>(app: INestApplicationContext, module: Type<unknown>, service: Type<T>): T {
  return app.select(module).get(service, { strict: true });
}

export async function readDemoAgents(dataDir: string): Promise<DemoAgentFile[] | null> {
  const text = await readFile(join(dataDir, AGENTS_FILE), 'utf8').catch(() => null);
  return text ? (JSON.parse(text) as DemoAgentFile[]) : null;
}

/**
 * First start only: a demo organisation with an operator, an API key and an enrollment key, and four
 * agents (enrolled through the HTTP API) in four organisations. Returns null when already seeded.
 */
export async function seedDemo(app: INestApplicationContext, http: HttpClient, dataDir: string): Promise<DemoCredentials | null> {
  if (await readDemoAgents(dataDir)) return null;
  const organizations = provided(app, AgentsModule, OrganizationsService);
  const org = await organizations.create('Demo Organisation');
  const { key: enrollKey } = await organizations.createEnrollmentKey(org.id, 'demo');
  const { password } = await provided(app, AdminModule, OperatorAuthService).createOperator(DEMO_OPERATOR_EMAIL, 'admin');
  const { key: apiKey } = await provided(app, LookupModule, ApiKeysService).create(org.id, 'demo', ['lookup', 'blocklist'], 'system');
  const agents: DemoAgentFile[] = [];
  for (const [i, site] of DEMO_SITES.entries()) {
    const siteOrg = await organizations.create(site.org);
    const { key } = await organizations.createEnrollmentKey(siteOrg.id, 'demo');
    const keys = newDemoKeys();
    const name = `demo-agent-${i + 1}`;
    const res = await http({ method: 'POST', url: '/v1/agents', payload: { name, public_key: keys.publicKey, enroll_key: key }, remoteAddress: site.source });
    if (res.statusCode !== 201) throw new Error(`demo seed: enrolling ${name} answered ${res.statusCode} ${res.body}`);
    const id = (JSON.parse(res.body) as { id: string }).id;
    agents.push({ id, organizationId: siteOrg.id, name, source: site.source, asn: site.asn, privateKeyPem: keys.privateKeyPem });
  }
  await establishDemoReporters(app, agents);
  // The consensus engine keeps reporters in memory: rebuild it so it sees the established ones.
  await provided(app, QueueModule, QueueService).enqueue(JobName.ConsensusRecompute, {}, 'demo-seed');
  await writeFile(join(dataDir, AGENTS_FILE), JSON.stringify(agents, null, 2), { mode: 0o600 });
  return { operatorEmail: DEMO_OPERATOR_EMAIL, operatorPassword: password, apiKey, enrollKey, organizationId: org.id, agents };
}

/** Aged (200 days), trusted reporter rows for the demo agents, so their reports can list an address. */
export async function establishDemoReporters(app: INestApplicationContext, agents: readonly DemoAgentFile[]): Promise<void> {
  const identities = provided(app, AgentsModule, ReporterIdentityService);
  const reporters = DemoReportersRepository.of(app);
  const agentRows = DemoAgentsRepository.of(app);
  for (const agent of agents) {
    const { reporter, owner } = await identities.identify(agent.organizationId, agent.id);
    const net = `demo-net-${agent.asn}`;
    await reporters.establish([{ pseudonym: reporter, owner, asn: agent.asn, net, enrolledAt: new Date(Date.now() - 200 * DAY_MS) }]);
    await agentRows.setNetwork(agent.id, agent.asn, net);
  }
}
