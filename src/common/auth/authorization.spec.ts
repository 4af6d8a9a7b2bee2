import { refusal } from './authorization.js';
import { ruleOf } from './authorization-table.js';
import type { Principal } from './principal.js';

const A = '0a0a0a0a-0000-4000-8000-00000000000a';
const B = '0b0b0b0b-0000-4000-8000-00000000000b';
const operator = (role: 'admin' | 'billing' | 'support', organizationId: string | null): Principal => ({ kind: 'operator', operatorId: 'op', role, organizationId });
const agent: Principal = { kind: 'agent', agentId: 'agent-a', organizationId: A };
const watcher: Principal = { kind: 'agent', agentId: 'watcher-a', organizationId: A, agentKind: 'crowdsec' };
const key = (scopes: string[]): Principal => ({ kind: 'apiKey', apiKeyId: 'k', organizationId: A, scopes, planId: 'free' });
const onOrg = (id: string) => ({ params: { id }, body: undefined });

describe('refusal (the decision the guard applies)', () => {
  it('lets organisation operators act on their own organisation only, and staff on any', () => {
    const rule = ruleOf('apiKeys.create');
    expect(refusal(rule, operator('support', A), onOrg(A))).toBeNull();
    expect(refusal(rule, operator('support', A), onOrg(B))?.code).toBe('forbidden');
    expect(refusal(rule, operator('support', A), onOrg(A.toUpperCase()))).toBeNull();
    expect(refusal(rule, operator('admin', null), onOrg(B))).toBeNull();
    expect(refusal(rule, operator('support', null), onOrg(B))?.code).toBe('forbidden');
    expect(refusal(rule, operator('billing', A), onOrg(A))?.code).toBe('forbidden');
  });

  it('reads the organisation of a resource from the looked-up owner, and treats an unknown one as foreign', () => {
    const rule = ruleOf('agents.revoke');
    expect(refusal(rule, operator('admin', A), { params: { id: 'x' }, body: undefined, resourceOrganizationId: A })).toBeNull();
    expect(refusal(rule, operator('admin', A), { params: { id: 'x' }, body: undefined, resourceOrganizationId: B })?.code).toBe('forbidden');
    expect(refusal(rule, operator('admin', A), { params: { id: 'x' }, body: undefined, resourceOrganizationId: null })?.code).toBe('forbidden');
  });

  it('reads body organisations, API-key scopes, agent self-actions and agent kinds', () => {
    expect(refusal(ruleOf('billing.checkout'), operator('billing', A), { params: {}, body: { organization_id: A } })).toBeNull();
    expect(refusal(ruleOf('billing.checkout'), operator('billing', A), { params: {}, body: { organization_id: [A] } })?.code).toBe('forbidden');
    expect(refusal(ruleOf('lookup.bulk'), key(['lookup']), onOrg(A))).toBeNull();
    expect(refusal(ruleOf('lookup.bulk'), key(['blocklist']), onOrg(A))?.message).toContain('scope');
    expect(refusal(ruleOf('agents.rotateKey'), agent, { params: { id: 'agent-a' }, body: undefined })).toBeNull();
    expect(refusal(ruleOf('agents.rotateKey'), agent, { params: { id: 'agent-b' }, body: undefined })?.code).toBe('forbidden');
    expect(refusal(ruleOf('crowdsec.signals'), watcher, onOrg(A))).toBeNull();
    expect(refusal(ruleOf('crowdsec.signals'), agent, onOrg(A))?.code).toBe('forbidden');
    expect(refusal(ruleOf('signals.push'), watcher, onOrg(A))?.code).toBe('forbidden');
  });

  it('keeps customer members inside their organisation, as their role allows', () => {
    const member = (role: 'owner' | 'admin' | 'developer' | 'billing' | 'viewer'): Principal => ({ kind: 'member', memberId: 'm', role, organizationId: A });
    expect(refusal(ruleOf('apiKeys.create'), member('developer'), onOrg(A))).toBeNull();
    expect(refusal(ruleOf('apiKeys.create'), member('developer'), onOrg(B))?.code).toBe('forbidden');
    expect(refusal(ruleOf('apiKeys.create'), member('billing'), onOrg(A))?.code).toBe('forbidden');
    expect(refusal(ruleOf('apiKeys.list'), member('viewer'), onOrg(A))).toBeNull();
    expect(refusal(ruleOf('billing.checkout'), member('billing'), { params: {}, body: { organization_id: A } })).toBeNull();
    expect(refusal(ruleOf('billing.checkout'), member('developer'), { params: {}, body: { organization_id: A } })?.code).toBe('forbidden');
    expect(refusal(ruleOf('usage.read'), member('viewer'), onOrg(A))).toBeNull();
    expect(refusal(ruleOf('usage.read'), key(['usage']), onOrg(A))).toBeNull();
    expect(refusal(ruleOf('usage.read'), key(['lookup']), onOrg(A))?.code).toBe('forbidden');
    expect(refusal(ruleOf('usage.read'), key(['usage']), onOrg(B))?.code).toBe('forbidden');
    for (const role of ['owner', 'admin', 'developer', 'billing', 'viewer'] as const) {
      expect(refusal(ruleOf('organizationPlan.set'), member(role), onOrg(A))?.code).toBe('forbidden');
      expect(refusal(ruleOf('dashboard.overview'), member(role), onOrg(A))?.code).toBe('forbidden');
      expect(refusal(ruleOf('members.list'), member(role), onOrg(B))?.code).toBe('forbidden');
    }
  });

  it('keeps plan changes and plan definitions to staff admins', () => {
    for (const who of [operator('billing', null), operator('admin', A), operator('billing', A), operator('support', null)]) {
      expect(refusal(ruleOf('organizationPlan.set'), who, onOrg(A))?.code).toBe('forbidden');
      expect(refusal(ruleOf('plans.update'), who, onOrg('free'))?.code).toBe('forbidden');
    }
    expect(refusal(ruleOf('organizationPlan.set'), operator('admin', null), onOrg(B))).toBeNull();
  });
});
