/** The portal's pages. Each renders into the main view from the member API (api.ts). */
import { barChart, compact } from '../admin/charts.js';
import { ApiError, type BouncerKey, portal, type Role, type Scope } from './api.js';
import type { PortalMeDto, PublicPlanDto } from './api-types.js';
import { action, card, day, h, input, money, onSubmit, select, state, table } from './dom.js';

export interface Ctx {
  me: PortalMeDto;
  show(...nodes: Node[]): void;
  /** Reads the member (and its organisation's plan) again. */
  refresh(): Promise<PortalMeDto>;
  /** Shows the sign-in page with a message. */
  signIn(message?: string): void;
}

const ROLES: readonly Role[] = ['owner', 'admin', 'developer', 'billing', 'viewer'];
const SCOPES: readonly Scope[] = ['lookup', 'blocklist', 'bouncer', 'usage', 'mirror'];
const KEY_ROLES: readonly Role[] = ['owner', 'admin', 'developer'];
const BILLING_ROLES: readonly Role[] = ['owner', 'admin', 'billing'];
const MEMBER_ADMINS: readonly Role[] = ['owner', 'admin'];
/** Bound of every wait on Stripe's confirmation (a webhook): the page polls the plan this long. */
const CONFIRM_WAIT_MS = 60_000;

const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Loads, then renders; 401 goes back to sign-in, 403 says the role may not open the page. */
export async function load<T>(ctx: Ctx, title: string, fetcher: () => Promise<T>, render: (data: T) => Node[]): Promise<void> {
  ctx.show(h('h1', {}, title), state('loading', 'Loading…'));
  try {
    const data = await fetcher();
    ctx.show(h('h1', {}, title), ...render(data));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return ctx.signIn('Your session ended: sign in again.');
    const text = error instanceof ApiError && error.status === 403 ? `403 — your role (${ctx.me.role}) may not open this page.` : `Could not load: ${(error as Error).message}`;
    ctx.show(h('h1', {}, title), state('error', text));
  }
}

// ---------------------------------------------------------------- overview

export function overview(ctx: Ctx): Promise<void> {
  const now = new Date();
  const today = isoDay(now);
  const monthStart = `${today.slice(0, 8)}01`;
  const thirtyAgo = isoDay(new Date(now.getTime() - 29 * 86_400_000));
  const from = monthStart < thirtyAgo ? monthStart : thirtyAgo;
  return load(
    ctx,
    'Overview',
    async () => {
      const me = await ctx.refresh();
      const [plans, usage] = await Promise.all([portal.plans(), portal.dailyUsage(me.organization_id, from, today)]);
      return { me, plan: plans.plans.find((p) => p.id === me.organization.plan_id), usage };
    },
    ({ me, plan, usage }) => {
      const perDay = new Map<string, number>();
      for (const row of usage.days) perDay.set(row.day, (perDay.get(row.day) ?? 0) + row.lookups);
      const usedToday = perDay.get(today) ?? 0;
      let usedMonth = 0;
      for (const [d, n] of perDay) if (d >= monthStart) usedMonth += n;
      const points = Array.from({ length: 30 }, (_, i) => {
        const d = isoDay(new Date(now.getTime() - (29 - i) * 86_400_000));
        return { label: d, value: perDay.get(d) ?? 0 };
      });
      const daily = plan?.limits.daily_quota ?? 0;
      const monthly = plan?.limits.monthly_quota ?? 0;
      return [
        h('p', {}, h('strong', { 'data-org-name': '' }, me.organization.name), ' · plan ', h('span', { 'data-plan': '' }, plan?.name ?? me.organization.plan_id)),
        h(
          'div',
          { class: 'cards' },
          card('Lookups today', `${compact(usedToday)} / ${compact(daily)}`, 'today'),
          card('Lookups this month', `${compact(usedMonth)} / ${compact(monthly)}`, 'month'),
          card('Burst', `${plan?.limits.burst_per_second ?? 0} / s`, 'burst'),
          card('Bulk lookups', plan && plan.limits.bulk_size > 0 ? `${plan.limits.bulk_size} IPs` : 'not in this plan', 'bulk'),
        ),
        h('progress', { class: 'meter', max: '100', value: daily > 0 ? Math.min(100, (usedToday / daily) * 100).toFixed(1) : '0', 'aria-label': 'lookups today vs the daily quota' }),
        h('h2', {}, 'Daily lookups (30 days)'),
        points.every((p) => p.value === 0) ? state('empty', 'No lookups in the last 30 days: create an API key and look an IP up.') : barChart(points, { title: 'Daily lookups', limit: daily, tick: (d) => d.slice(5) }),
        h('p', { class: 'state' }, 'Quotas count UTC days and months. ', h('a', { href: '#/keys' }, 'API keys'), ' · ', h('a', { href: '#/billing' }, 'plans')),
      ];
    },
  );
}

// ---------------------------------------------------------------- API keys

export function keys(ctx: Ctx): Promise<void> {
  const org = ctx.me.organization_id;
  const today = new Date();
  const from = isoDay(new Date(today.getTime() - 92 * 86_400_000));
  const canManage = KEY_ROLES.includes(ctx.me.role);
  return load(
    ctx,
    'API keys',
    async () => {
      const [list, usage] = await Promise.all([portal.apiKeys(org), portal.dailyUsage(org, from, isoDay(today))]);
      return { list, usage };
    },
    ({ list, usage }) => {
      // last use: the latest UTC day with lookups in the usage (93 days kept for the portal)
      const lastUsed = new Map<string, string>();
      for (const row of usage.days) if (row.lookups > 0 && (lastUsed.get(row.api_key_id) ?? '') < row.day) lastUsed.set(row.api_key_id, row.day);
      const status = h('p', { class: 'state' }, '');
      const rows = list.api_keys.map((k) =>
        h(
          'tr',
          { 'data-key': k.prefix },
          h('td', {}, k.name),
          h('td', {}, h('code', {}, `${k.prefix}…`)),
          h('td', {}, k.scopes.join(', ')),
          h('td', {}, day(k.created_at)),
          h('td', { 'data-expires': '' }, k.expires_at ? day(k.expires_at) : 'never'),
          h('td', { 'data-last-used': '' }, lastUsed.get(k.id) ?? 'not in 93 days'),
          h('td', {}, k.status === 'revoked' ? `revoked ${day(k.revoked_at)}` : k.status),
          h(
            'td',
            {},
            canManage && k.status === 'active'
              ? action(
                  'Revoke',
                  async () => {
                    await portal.revokeApiKey(org, k.id);
                    await keys(ctx);
                  },
                  status,
                  { class: 'danger', 'data-revoke': k.prefix },
                )
              : '',
          ),
        ),
      );
      const nodes: Node[] = [];
      if (canManage) {
        const name = input('name', 'Name', { required: '', maxlength: '64', placeholder: 'production' });
        const boxes = SCOPES.map((scope) => {
          const box = h('input', { type: 'checkbox', name: 'scope', value: scope, ...(scope === 'lookup' ? { checked: '' } : {}) }) as HTMLInputElement;
          return { scope, box, label: h('label', {}, box, scope) };
        });
        const expiry = select('expires', ['never', '30 days', '90 days', '1 year'], 'never', 'Expires');
        const form = h('form', { class: 'form', 'data-form': 'create-key' }, name.label, h('fieldset', {}, h('legend', { class: 'state' }, 'Scopes'), ...boxes.map((b) => b.label)), expiry.label, h('button', { type: 'submit' }, 'Create key')) as HTMLFormElement;
        onSubmit(
          form,
          async () => {
            const scopes = boxes.filter((b) => b.box.checked).map((b) => b.scope);
            if (scopes.length === 0) throw new Error('Choose at least one scope');
            const days = { never: 0, '30 days': 30, '90 days': 90, '1 year': 365 }[expiry.input.value] ?? 0;
            const created = await portal.createApiKey(org, name.input.value.trim(), scopes, days ? new Date(Date.now() + days * 86_400_000).toISOString() : undefined);
            await keys(ctx);
            (document.querySelector('[data-secret-slot]') as HTMLElement | null)?.replaceChildren(
              h('div', { class: 'secret', 'data-secret': '' }, h('strong', {}, 'Your new key (shown once, copy it now): '), h('code', { 'data-key-secret': '' }, created.key)),
            );
          },
          status,
        );
        nodes.push(form, h('div', { 'data-secret-slot': '' }));
      } else {
        nodes.push(state('empty', `Your role (${ctx.me.role}) reads the keys; owners, admins and developers create and revoke them.`));
      }
      nodes.push(status, rows.length ? table(['Name', 'Prefix', 'Scopes', 'Created', 'Expires', 'Last used (UTC day)', 'State', ''], rows) : state('empty', 'No API keys yet.'));
      // what each key looked up, per UTC day: the counts quotas and Stripe's metered overage are made of
      const names = new Map(list.api_keys.map((k) => [k.id, k]));
      const since = isoDay(new Date(today.getTime() - 29 * 86_400_000));
      const perDay = usage.days
        .filter((row) => row.day >= since && row.lookups > 0)
        .sort((a, b) => (a.day === b.day ? (names.get(a.api_key_id)?.name ?? '').localeCompare(names.get(b.api_key_id)?.name ?? '') : a.day < b.day ? 1 : -1))
        .map((row) => {
          const k = names.get(row.api_key_id);
          return h('tr', { 'data-usage': `${row.day} ${k?.prefix ?? row.api_key_id}` }, h('td', {}, row.day), h('td', {}, k ? `${k.name} (${k.prefix}…)` : 'deleted key'), h('td', { class: 'num' }, row.lookups.toLocaleString('en-US')));
        });
      nodes.push(h('h2', {}, 'Lookups per key and UTC day (30 days)'), perDay.length ? table(['Day', 'Key', 'Lookups'], perDay, [2]) : state('empty', 'No lookups in the last 30 days.'));
      nodes.push(h('p', { class: 'state' }, 'Look an IP up: ', h('code', {}, `curl -H 'x-api-key: <key>' ${location.origin}/v1/ip/1.1.1.1`)));
      return nodes;
    },
  );
}

// ---------------------------------------------------------------- plan and billing

function planCard(ctx: Ctx, plan: PublicPlanDto, current: string, status: HTMLElement): HTMLElement {
  const isCurrent = plan.id === current;
  const price = plan.price ? `${money(plan.price.amount_cents, plan.price.currency)} / ${plan.price.interval}` : 'on request';
  const canBuy = BILLING_ROLES.includes(ctx.me.role) && plan.purchasable && !isCurrent;
  const paid = current !== 'free';
  return h(
    'div',
    { class: `plan${isCurrent ? ' current' : ''}`, 'data-plan-card': plan.id },
    h('strong', {}, plan.name),
    h('span', { class: 'price', 'data-price': plan.id }, price),
    h(
      'ul',
      {},
      h('li', {}, `${compact(plan.limits.daily_quota)} lookups a day, ${compact(plan.limits.monthly_quota)} a month`),
      h('li', {}, `${plan.limits.burst_per_second} requests / s`),
      h('li', {}, plan.limits.bulk_size > 0 ? `bulk lookups of ${plan.limits.bulk_size} IPs` : 'no bulk lookups'),
      plan.fields.length ? h('li', {}, `details: ${plan.fields.join(', ')}`) : null,
    ),
    isCurrent ? h('span', { class: 'badge active' }, 'current plan') : null,
    canBuy
      ? action(
          paid ? `Switch to ${plan.name}` : `Upgrade to ${plan.name}`,
          async () => {
            if (!paid) {
              location.href = (await portal.checkout(ctx.me.organization_id, plan.id)).url;
              return;
            }
            try {
              await portal.changePlan(ctx.me.organization_id, plan.id);
            } catch (error) {
              // no live subscription after all (an operator set the plan): Checkout starts one
              if (error instanceof ApiError && error.code === 'no_subscription') {
                location.href = (await portal.checkout(ctx.me.organization_id, plan.id)).url;
                return;
              }
              throw error;
            }
            status.className = 'state';
            status.textContent = `Changing to ${plan.name}: the plan applies when Stripe confirms…`;
            await waitForPlan(ctx, plan.id);
            await billing(ctx);
          },
          status,
          { 'data-choose': plan.id },
        )
      : null,
  );
}

/** Polls the member's organisation until its plan is `planId` (Stripe's webhook arrived), bounded. */
async function waitForPlan(ctx: Ctx, planId: string | null): Promise<boolean> {
  const until = Date.now() + CONFIRM_WAIT_MS;
  while (Date.now() < until) {
    const me = await ctx.refresh();
    if (planId === null ? me.organization.plan_id !== 'free' : me.organization.plan_id === planId) return true;
    await sleep(1_000);
  }
  return false;
}

export function billing(ctx: Ctx): Promise<void> {
  const org = ctx.me.organization_id;
  return load(
    ctx,
    'Plan & billing',
    async () => {
      const me = await ctx.refresh();
      const [plans, invoices] = await Promise.all([portal.plans(), portal.invoices(org)]);
      return { me, plans, invoices };
    },
    ({ me, plans, invoices }) => {
      const status = h('p', { class: 'state', 'data-billing-status': '' }, '');
      const current = me.organization.plan_id;
      const rows = invoices.invoices.map((i) =>
        h('tr', { 'data-invoice': i.id }, h('td', {}, day(i.created_at)), h('td', {}, i.status), h('td', { class: 'num' }, money(i.amount_cents, i.currency)), h('td', {}, h('code', {}, i.id))),
      );
      const manage = BILLING_ROLES.includes(me.role);
      return [
        h('p', {}, 'Current plan: ', h('strong', { 'data-current-plan': '' }, plans.plans.find((p) => p.id === current)?.name ?? current)),
        h('div', { class: 'plans' }, ...plans.plans.map((p) => planCard(ctx, p, current, status))),
        status,
        h('p', { class: 'state' }, current === 'free' ? 'Upgrading opens Stripe Checkout; you come back here once paid.' : 'Switching plans changes your current subscription: Stripe charges or credits the difference for the rest of the period.'),
        h(
              'div',
              { class: 'actions' },
              manage && action(
                'Cards, invoices and cancellation (Stripe billing portal)',
                async () => {
                  location.href = (await portal.billingPortal(org)).url;
                },
                status,
                { class: 'secondary', 'data-billing-portal': '' },
              ),
            ),
        h('h2', {}, 'Invoices'),
        rows.length ? table(['Date', 'Status', 'Amount', 'Invoice'], rows, [2]) : state('empty', 'No invoices yet.'),
      ];
    },
  );
}

export async function billingReturn(ctx: Ctx, outcome: 'success' | 'cancelled'): Promise<void> {
  if (outcome === 'cancelled') {
    ctx.show(h('h1', {}, 'Checkout cancelled'), h('p', { 'data-outcome': 'cancelled' }, 'Nothing was charged and your plan is unchanged.'), h('p', {}, h('a', { href: '#/billing' }, 'Back to plans')));
    return;
  }
  const waiting = state('loading', 'Payment received by Stripe: waiting for its confirmation…');
  ctx.show(h('h1', {}, 'Thank you'), waiting);
  const confirmed = await waitForPlan(ctx, null);
  const plans = await portal.plans();
  const plan = plans.plans.find((p) => p.id === ctx.me.organization.plan_id);
  ctx.show(
    h('h1', {}, 'Thank you'),
    confirmed && plan
      ? h(
          'div',
          { 'data-outcome': 'success' },
          h('p', { class: 'ok' }, 'Your subscription is active: plan ', h('strong', { 'data-plan': '' }, plan.name), '.'),
          h('p', {}, `${compact(plan.limits.daily_quota)} lookups a day, ${compact(plan.limits.monthly_quota)} a month, ${plan.limits.burst_per_second} requests / s — from now on.`),
        )
      : state('error', 'Stripe has not confirmed the payment yet. It can take a minute: reload this page, or see Plan & billing.'),
    h('p', {}, h('a', { href: '#/overview' }, 'Overview'), ' · ', h('a', { href: '#/billing' }, 'Plan & billing')),
  );
}

// ---------------------------------------------------------------- members

export function members(ctx: Ctx): Promise<void> {
  const org = ctx.me.organization_id;
  const manage = MEMBER_ADMINS.includes(ctx.me.role);
  return load(
    ctx,
    'Members',
    async () => {
      const [list, invitations] = await Promise.all([portal.members(org), portal.invitations(org)]);
      return { list, invitations };
    },
    ({ list, invitations }) => {
      const status = h('p', { class: 'state' }, '');
      const rows = list.members.map((m) => {
        const role = select('role', ROLES, m.role);
        role.input.disabled = !manage || m.id === ctx.me.id;
        role.input.setAttribute('data-role-of', m.email);
        role.input.addEventListener('change', () => {
          portal.setRole(org, m.id, role.input.value as Role).then(
            () => members(ctx),
            (error: Error) => {
              status.className = 'state error';
              status.textContent = error.message;
              role.input.value = m.role;
            },
          );
        });
        return h(
          'tr',
          { 'data-member': m.email },
          h('td', {}, m.email),
          h('td', {}, role.label),
          h('td', {}, m.totp_enabled ? 'on' : 'off'),
          h('td', {}, day(m.last_login_at)),
          h('td', {}, manage && m.id !== ctx.me.id ? action('Remove', async () => { await portal.removeMember(org, m.id); await members(ctx); }, status, { class: 'danger', 'data-remove': m.email }) : ''),
        );
      });
      const pending = invitations.invitations.map((i) =>
        h('tr', { 'data-invitation': i.email }, h('td', {}, i.email), h('td', {}, i.role), h('td', {}, day(i.expires_at)), h('td', {}, manage ? action('Withdraw', async () => { await portal.withdrawInvitation(org, i.id); await members(ctx); }, status, { class: 'secondary' }) : '')),
      );
      const nodes: Node[] = [];
      if (manage) {
        const email = input('email', 'Email', { type: 'email', required: '', maxlength: '254' });
        const role = select('role', ctx.me.role === 'owner' ? ROLES : ROLES.filter((r) => r !== 'owner'), 'developer', 'Role');
        const form = h('form', { class: 'form', 'data-form': 'invite' }, email.label, role.label, h('button', { type: 'submit' }, 'Invite')) as HTMLFormElement;
        onSubmit(
          form,
          async () => {
            const sent = await portal.invite(org, email.input.value.trim(), role.input.value as Role);
            await members(ctx);
            const note = document.querySelector('[data-invite-result]');
            if (note) note.textContent = `Invitation sent to ${sent.email} as ${sent.role} (valid until ${day(sent.expires_at)})${sent.email_sent ? '' : ' — the email could not be sent'}.`;
          },
          status,
        );
        nodes.push(form, h('p', { class: 'state ok', 'data-invite-result': '' }, ''));
      }
      nodes.push(status, table(['Email', 'Role', 'Two-factor', 'Last sign-in', ''], rows));
      nodes.push(h('h2', {}, 'Pending invitations'), pending.length ? table(['Email', 'Role', 'Expires', ''], pending) : state('empty', 'No pending invitations.'));
      nodes.push(h('p', { class: 'state' }, 'Roles: owner (everything), admin (members, keys, billing), developer (keys and usage), billing (plan and invoices), viewer (read only).'));
      return nodes;
    },
  );
}

// ---------------------------------------------------------------- agents (community organisations)

export function agents(ctx: Ctx): Promise<void> {
  const org = ctx.me.organization_id;
  const manage = KEY_ROLES.includes(ctx.me.role);
  return load(
    ctx,
    'Agents',
    async () => {
      const [list, enrollment, bouncers] = await Promise.all([portal.agents(org), portal.enrollmentKeys(org), portal.bouncerKeys(org)]);
      return { list, enrollment, bouncers };
    },
    ({ list, enrollment, bouncers }) => {
      const status = h('p', { class: 'state' }, '');
      const shown = h('div', { 'data-secret-slot': '' });
      const agentRows = list.agents.map((a) =>
        h(
          'tr',
          { 'data-agent': a.id },
          h('td', {}, a.name),
          h('td', {}, a.kind),
          h('td', {}, a.status),
          h('td', {}, day(a.last_signal_at)),
          h('td', {}, manage && a.status === 'active' ? action('Revoke', async () => { await portal.revokeAgent(a.id); await agents(ctx); }, status, { class: 'danger' }) : ''),
        ),
      );
      const keyRows = enrollment.enrollment_keys.map((k) =>
        h(
          'tr',
          { 'data-enrollment-key': k.prefix },
          h('td', {}, k.name),
          h('td', {}, h('code', {}, `${k.prefix}…`)),
          h('td', {}, day(k.expires_at)),
          h('td', {}, k.revoked_at ? `revoked ${day(k.revoked_at)}` : 'active'),
          h('td', {}, manage && !k.revoked_at ? action('Revoke', async () => { await portal.revokeEnrollmentKey(org, k.id); await agents(ctx); }, status, { class: 'danger' }) : ''),
        ),
      );
      const bouncerRows = bouncers.map((b: BouncerKey) =>
        h(
          'tr',
          { 'data-bouncer-key': b.prefix },
          h('td', {}, b.name),
          h('td', {}, h('code', {}, `${b.prefix}…`)),
          h('td', {}, day(b.last_pull_at)),
          h('td', {}, b.revoked_at ? `revoked ${day(b.revoked_at)}` : 'active'),
          h('td', {}, manage && !b.revoked_at ? action('Revoke', async () => { await portal.revokeBouncerKey(org, b.id); await agents(ctx); }, status, { class: 'danger' }) : ''),
        ),
      );
      const nodes: Node[] = [h('p', { class: 'state' }, 'Agents report the attacks they see (docs/agent.md); CrowdSec bouncers pull the blocklist (docs/crowdsec.md).'), status, shown];
      nodes.push(h('h2', {}, 'Agents'), agentRows.length ? table(['Name', 'Kind', 'Status', 'Last signal', ''], agentRows) : state('empty', 'No agents yet: enroll one with an enrollment key.'));
      nodes.push(h('h2', {}, 'Enrollment keys'));
      if (manage) {
        const name = input('name', 'Name', { required: '', maxlength: '64', placeholder: 'web servers' });
        const ttl = input('ttl_days', 'Valid for (days, optional)', { type: 'number', min: '1', max: '365' });
        const form = h('form', { class: 'form', 'data-form': 'enrollment-key' }, name.label, ttl.label, h('button', { type: 'submit' }, 'Create enrollment key')) as HTMLFormElement;
        onSubmit(form, async () => {
          const created = await portal.createEnrollmentKey(org, name.input.value.trim(), ttl.input.value ? Number(ttl.input.value) : undefined);
          await agents(ctx);
          (document.querySelector('[data-secret-slot]') as HTMLElement | null)?.replaceChildren(h('div', { class: 'secret', 'data-secret': '' }, h('strong', {}, 'Enrollment key (shown once, copy it now): '), h('code', { 'data-key-secret': '' }, created.key)));
        }, status);
        nodes.push(form);
      }
      nodes.push(keyRows.length ? table(['Name', 'Prefix', 'Expires', 'State', ''], keyRows) : state('empty', 'No enrollment keys.'));
      nodes.push(h('h2', {}, 'CrowdSec bouncer keys'));
      if (manage) {
        const name = input('name', 'Name', { required: '', maxlength: '64', pattern: '[A-Za-z0-9_ .:\\-]+', placeholder: 'edge-firewall-1' });
        const form = h('form', { class: 'form', 'data-form': 'bouncer-key' }, name.label, h('button', { type: 'submit' }, 'Create bouncer key')) as HTMLFormElement;
        onSubmit(form, async () => {
          const created = await portal.createBouncerKey(org, name.input.value.trim());
          await agents(ctx);
          if (created.key) (document.querySelector('[data-secret-slot]') as HTMLElement | null)?.replaceChildren(h('div', { class: 'secret', 'data-secret': '' }, h('strong', {}, 'Bouncer key (shown once, copy it now): '), h('code', { 'data-key-secret': '' }, created.key)));
        }, status);
        nodes.push(form);
      }
      nodes.push(bouncerRows.length ? table(['Name', 'Prefix', 'Last pull', 'State', ''], bouncerRows) : state('empty', 'No bouncer keys.'));
      return nodes;
    },
  );
}

// ---------------------------------------------------------------- account (password, two-factor)

export function account(ctx: Ctx): Promise<void> {
  return load(ctx, 'Account', () => ctx.refresh(), (me) => {
    const status = h('p', { class: 'state' }, '');
    const current = input('current_password', 'Current password', { type: 'password', required: '', autocomplete: 'current-password' });
    const next = input('new_password', 'New password (12 characters or more)', { type: 'password', required: '', minlength: '12', autocomplete: 'new-password' });
    const passwordForm = h('form', { class: 'form', 'data-form': 'password' }, current.label, next.label, h('button', { type: 'submit' }, 'Change password')) as HTMLFormElement;
    onSubmit(passwordForm, async () => {
      await portal.changePassword(current.input.value, next.input.value);
      ctx.signIn('Password changed: every session ended, sign in again.');
    }, status);

    const totp = h('div', { 'data-totp': me.totp_enabled ? 'on' : 'off' });
    if (me.totp_enabled) {
      const password = input('password', 'Password', { type: 'password', required: '' });
      const code = input('code', 'Current code', { inputmode: 'numeric', pattern: '[0-9]{6}', required: '' });
      const form = h('form', { class: 'form', 'data-form': 'totp-disable' }, password.label, code.label, h('button', { type: 'submit', class: 'danger' }, 'Turn two-factor off')) as HTMLFormElement;
      onSubmit(form, async () => {
        await portal.totpDisable(password.input.value, code.input.value);
        await account(ctx);
      }, status);
      totp.append(h('p', { class: 'ok' }, 'Two-factor sign-in is on.'), form);
    } else {
      const start = action('Set up two-factor sign-in', async () => {
        const setup = await portal.totpSetup();
        const code = input('code', 'Code from the app', { inputmode: 'numeric', pattern: '[0-9]{6}', required: '' });
        const form = h('form', { class: 'form', 'data-form': 'totp-enable' }, code.label, h('button', { type: 'submit' }, 'Turn on')) as HTMLFormElement;
        onSubmit(form, async () => {
          await portal.totpEnable(code.input.value);
          await account(ctx);
        }, status);
        totp.replaceChildren(
          h('p', {}, 'Add this key to your authenticator app (shown once), then enter a code:'),
          h('div', { class: 'secret', 'data-secret': '' }, h('code', { 'data-totp-secret': '' }, setup.secret), h('br'), h('small', {}, setup.otpauth_uri)),
          form,
        );
      }, status);
      totp.append(h('p', {}, 'Two-factor sign-in is off.'), start);
    }
    return [h('p', {}, `${me.email} · ${me.role} of ${me.organization.name}`), h('h2', {}, 'Password'), passwordForm, h('h2', {}, 'Two-factor sign-in (TOTP)'), totp, status];
  });
}

// ---------------------------------------------------------------- development outbox

/** Turns the portal's own links of a message into anchors (other text stays text). */
function linkify(text: string): Node[] {
  const out: Array<Node | string> = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/\S+\/app\/#\/\S+/g)) {
    out.push(text.slice(last, match.index));
    const url = new URL(match[0]);
    out.push(h('a', { href: `${url.hash}`, 'data-mail-link': url.hash.split('?')[0].slice(2) }, match[0]));
    last = (match.index ?? 0) + match[0].length;
  }
  out.push(text.slice(last));
  return out.map((x) => (typeof x === 'string' ? document.createTextNode(x) : x));
}

export async function outbox(show: (...nodes: Node[]) => void): Promise<void> {
  show(h('h1', {}, 'Local outbox'), state('loading', 'Loading…'));
  try {
    const { messages } = await portal.outbox();
    show(
      h('h1', {}, 'Local outbox'),
      h('p', { class: 'state' }, 'No SMTP server is configured (QUORUM_SMTP_URL): the messages Quorum would send are kept here, newest first. ', h('a', { href: '#/login' }, 'Sign in')),
      ...(messages.length
        ? messages.map((m) => h('div', { class: 'mail', 'data-mail': m.recipient }, h('strong', {}, m.subject), h('div', { class: 'state' }, `to ${m.recipient} · ${m.created_at.replace('T', ' ').slice(0, 19)} UTC`), h('pre', {}, ...linkify(m.text))))
        : [state('empty', 'No messages yet.')]),
    );
  } catch (error) {
    show(h('h1', {}, 'Local outbox'), state('error', error instanceof ApiError && error.status === 404 ? 'There is no local outbox here: email goes through the SMTP server.' : (error as Error).message));
  }
}
