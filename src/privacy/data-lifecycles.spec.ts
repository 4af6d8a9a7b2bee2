import { AdminLifecycle } from '../admin/admin.erasure.js';
import { AgentsLifecycle } from '../agents/agents.erasure.js';
import { AuditLifecycle } from '../audit/audit.erasure.js';
import { BillingLifecycle } from '../billing/billing.erasure.js';
import { BlocklistLifecycle } from '../blocklist/blocklist.erasure.js';
import { NetworkKeysLifecycle } from '../common/network/network.erasure.js';
import { ConsensusLifecycle } from '../consensus/consensus.erasure.js';
import { CrowdsecLifecycle } from '../crowdsec/crowdsec.erasure.js';
import { LookupLifecycle } from '../lookup/lookup.erasure.js';
import { MembersLifecycle } from '../members/members.erasure.js';
import { SignalsLifecycle } from '../signals/signals.erasure.js';
import { coverageProblems } from './data-lifecycles.js';
import { PrivacyLifecycle } from './privacy.erasure.js';

/** Only the declarations are read here; the lifecycles' collaborators are never called. */
const none = null as never;

describe('the erasure contract covers every table', () => {
  const all = [
    new AdminLifecycle(none),
    new AgentsLifecycle(none, none, none),
    new AuditLifecycle(none),
    new BillingLifecycle(none),
    new BlocklistLifecycle(none, none),
    new NetworkKeysLifecycle(none),
    new ConsensusLifecycle(none, none, none),
    new CrowdsecLifecycle(none),
    new LookupLifecycle(none, none),
    new MembersLifecycle(none, none),
    new SignalsLifecycle(none, none, none),
    new PrivacyLifecycle(none),
  ];

  it('each owned table is declared once, by its owner', () => {
    expect(coverageProblems(all)).toEqual([]);
  });

  it('a missing, foreign or doubled table is reported', () => {
    const withoutSignals = all.filter((l) => l.domain !== 'signals');
    expect(coverageProblems(withoutSignals)).toEqual(expect.arrayContaining(['signal (signals) has no lifecycle']));
    expect(coverageProblems([...all, { domain: 'admin', tables: ['signal'] }])).toEqual(expect.arrayContaining(['admin declares signal, owned by signals', 'signal declared twice']));
  });

  it('consensus erases before the signals it reads, audit keys go first, accounts last', () => {
    const stage = (domain: string) => all.find((l) => l.domain === domain)!.stage;
    expect(stage('audit')).toBeLessThan(stage('consensus'));
    expect(stage('consensus')).toBeLessThan(stage('signals'));
    expect(Math.max(...all.filter((l) => l.domain !== 'agents').map((l) => l.stage))).toBeLessThan(stage('agents'));
  });
});
