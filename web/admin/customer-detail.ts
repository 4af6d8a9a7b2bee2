/**
 * One customer in the console (docs/operators.md "Customers"): usage, keys, agents, and for staff its
 * account — kind, suspension, subscription history, comped plans, invoices as Stripe says — with the
 * actions suspend/resume (staff admin) and comp a plan (staff admin, billing), each with a reason, audited;
 * revoke a key and erase the organisation (staff admin).
 */
import { action, h, onSubmit, state, table } from '../app/dom.js';
import { api, ApiError } from './api.js';
import { barChart, compact } from './charts.js';
import type { Loader } from './console.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers of the admin API, read field by field
type Json = Record<string, any>;
type Me = { email: string; role: string } | null;

const money = (cents: number, currency = 'usd'): string => (cents / 100).toLocaleString('en-US', { style: 'currency', currency: currency.toUpperCase() });
const date = (iso: string | null): string => (iso ? iso.slice(0, 10) : '—');
const when = (iso: string | null): string => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—');
const badge = (text: string, attrs: Record<string, string> = {}): HTMLElement => h('span', { class: `badge ${text}`, ...attrs }, text.replace(/_/g, ' '));

function region(label: string, headers: string[], rows: HTMLElement[], numeric: number[] = []): HTMLElement {
  const wrap = table(headers, rows, numeric);
  wrap.setAttribute('tabindex', '0');
  wrap.setAttribute('role', 'region');
  wrap.setAttribute('aria-label', label);
  return wrap;
}

/** The staff account, or null for an operator of the organisation (the account is staff-only). */
async function accountOf(id: string): Promise<Json | null> {
  try {
    return await api<Json>('GET', `/v1/admin/customers/${encodeURIComponent(id)}/account`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return null;
    throw error;
  }
}

function status(): HTMLElement {
  return h('p', { class: 'state', role: 'status' }, '');
}

/** Suspend (with a reason) or resume (with a reason): staff admins. */
function suspension(id: string, account: Json, reload: () => Promise<void>): Node[] {
  const out = status();
  const suspended = account.suspended_at !== null;
  const reason = h('input', { name: 'reason', required: '', minlength: '3', maxlength: '500', autocomplete: 'off' }) as HTMLInputElement;
  const form = h('form', { class: 'filters', 'data-action': suspended ? 'resume' : 'suspend', 'aria-label': suspended ? 'Resume this organisation' : 'Suspend this organisation' },
    h('label', {}, suspended ? 'Reason for resuming' : 'Reason for suspending', reason),
    h('button', { type: 'submit', class: suspended ? '' : 'danger' }, suspended ? 'Resume organisation' : 'Suspend organisation'),
  ) as HTMLFormElement;
  onSubmit(form, async () => {
    await api('POST', `/v1/admin/organizations/${encodeURIComponent(id)}/${suspended ? 'resume' : 'suspend'}`, { reason: reason.value });
    await reload();
  }, out);
  return [form, out];
}

/** Comp a plan from now (or a start) to an end, with a mandatory reason: staff admins and billing. */
function compForm(id: string, plans: string[], reload: () => Promise<void>): Node[] {
  const out = status();
  const plan = h('select', { name: 'plan_id', required: '' }, ...plans.map((p) => h('option', { value: p }, p))) as HTMLSelectElement;
  const until = h('input', { type: 'date', name: 'ends_at', required: '' }) as HTMLInputElement;
  const reason = h('input', { name: 'comp_reason', required: '', minlength: '3', maxlength: '500', autocomplete: 'off' }) as HTMLInputElement;
  const form = h('form', { class: 'filters', 'data-action': 'comp', 'aria-label': 'Comp a plan' },
    h('label', {}, 'Plan', plan),
    h('label', {}, 'Until (UTC date)', until),
    h('label', {}, 'Reason (audited)', reason),
    h('button', { type: 'submit' }, 'Comp plan'),
  ) as HTMLFormElement;
  onSubmit(form, async () => {
    if (!until.value) throw new Error('Choose the end date');
    await api('POST', `/v1/admin/organizations/${encodeURIComponent(id)}/comps`, { plan_id: plan.value, ends_at: new Date(`${until.value}T00:00:00Z`).toISOString(), reason: reason.value });
    await reload();
  }, out);
  return [form, out];
}

/** Revokes an API key in two clicks (staff admin; audited api_key.revoked by the lookup domain). */
function revokeKey(id: string, key: Json, reload: () => Promise<void>, out: HTMLElement): HTMLElement {
  let armed = false;
  const button = action('Revoke', async () => {
    if (!armed) {
      armed = true;
      button.textContent = `Confirm: revoke ${key.prefix}…`;
      return;
    }
    await api('DELETE', `/v1/organizations/${encodeURIComponent(id)}/api-keys/${encodeURIComponent(key.id)}`);
    await reload();
  }, out, { class: 'danger', 'data-revoke-key': key.id });
  return button;
}

/**
 * Erasure on the customer's request (docs/privacy.md, erasure contract): staff admins only, confirmed by
 * typing the organisation's name; audited by the privacy domain.
 */
function erasure(id: string, name: string): Node[] {
  const out = status();
  const confirm = h('input', { name: 'confirm', autocomplete: 'off' }) as HTMLInputElement;
  const form = h('form', { class: 'filters', 'data-erase': id, 'aria-label': 'Erase this organisation' },
    h('label', {}, `Type the organisation's name (${name}) to confirm`, confirm),
    h('button', { type: 'submit', class: 'danger' }, 'Erase organisation'),
  ) as HTMLFormElement;
  onSubmit(form, async () => {
    if (confirm.value.trim() !== name) throw new Error("The name typed is not the organisation's name");
    const done = await api<Json>('POST', `/v1/privacy/organizations/${encodeURIComponent(id)}/erasure`);
    out.className = 'state ok';
    out.setAttribute('data-state', 'ok');
    out.textContent = `Erased: privacy request ${done.id} ${done.status}. Its agents, keys and sessions no longer work.`;
    form.remove();
  }, out);
  return [h('h2', {}, 'Erasure'), h('p', { class: 'note' }, 'Erases the organisation at once and for good, on its request (GDPR Art. 17): credentials revoked, votes withdrawn, personal data deleted; billing records keep the id only.'), form, out];
}

function accountSections(id: string, a: Json, me: Me, plans: string[], reload: () => Promise<void>): Node[] {
  const history = (a.subscription_history as Json[]).map((s) => h('tr', {}, h('td', {}, when(s.at)), h('td', {}, badge(s.status)), h('td', {}, s.plan_id), h('td', { class: 'num' }, money(s.amount_cents)), h('td', {}, h('code', {}, s.subscription_id))));
  const comps = (a.comps as Json[]).map((c) => h('tr', { 'data-comp': c.id }, h('td', {}, c.plan_id), h('td', {}, `${date(c.starts_at)} → ${date(c.ends_at)}`), h('td', {}, badge(c.state)), h('td', {}, c.reason), h('td', {}, c.granted_by)));
  const invoices = (a.invoices as Json[]).map((i) =>
    h('tr', { 'data-invoice': i.id },
      h('td', {}, date(i.created_at)),
      h('td', {}, badge(i.state, { 'data-invoice-state': i.state })),
      h('td', { class: 'num' }, money(i.amount_cents, i.currency)),
      h('td', {}, i.payment_failed_at ? `attempt ${i.attempt_count} failed ${when(i.payment_failed_at)}${i.state === 'failed' && i.next_payment_attempt ? `; Stripe retries ${when(i.next_payment_attempt)}` : ''}` : '—'),
    ),
  );
  const members = (a.members as Json[]).map((m) =>
    h('tr', { 'data-member': m.id }, h('td', {}, m.email), h('td', {}, badge(m.role)), h('td', {}, m.totp_enabled ? 'on' : 'off'), h('td', {}, m.email_verified_at ? 'yes' : 'no'), h('td', {}, m.last_login_at ? when(m.last_login_at) : 'never')),
  );
  return [
    h('h2', {}, 'Account'),
    a.suspended_at
      ? h('p', { class: 'state error', 'data-suspended': '' }, `Suspended since ${when(a.suspended_at)}: ${a.suspension_reason}. Its API keys answer 403 organization_suspended.`)
      : h('p', { class: 'state', 'data-suspended': 'no' }, 'Not suspended: its API keys work.'),
    ...(me?.role === 'admin' ? suspension(id, a, reload) : []),
    h('h3', {}, 'Members'),
    members.length ? region('Members', ['E-mail', 'Role', 'Two-factor', 'Verified', 'Last sign-in'], members) : state('empty', 'No members: an operator-created organisation until someone signs up or is invited.'),
    h('h3', {}, 'Comped plans'),
    comps.length ? region('Comped plans', ['Plan', 'Period', 'State', 'Reason', 'Given by'], comps) : state('empty', 'No comped plan.'),
    ...(me?.role === 'admin' || me?.role === 'billing' ? compForm(id, plans, reload) : []),
    h('h3', {}, 'Invoices'),
    invoices.length ? region('Invoices', ['Date', 'Status (Stripe)', 'Amount', 'Payment attempts'], invoices, [2]) : state('empty', 'No invoices.'),
    h('h3', {}, 'Subscription history'),
    history.length ? region('Subscription history', ['When', 'Status', 'Plan', 'Monthly', 'Subscription'], history, [3]) : state('empty', 'No subscription yet.'),
  ];
}

export function customerDetail(load: Loader, me: Me, id: string): Promise<void> {
  const fetcher = async () => {
    const [c, account] = await Promise.all([api<Json>('GET', `/v1/admin/customers/${encodeURIComponent(id)}`), accountOf(id)]);
    const plans = account && (me?.role === 'admin' || me?.role === 'billing') ? ((await api<Json>('GET', '/v1/admin/plans')).plans as Json[]).map((p) => p.id as string).filter((p) => p !== 'free') : [];
    return { c, account, plans };
  };
  return load('Customer', fetcher, ({ c, account, plans }, reload) => {
    const usage = c.daily_usage as Array<{ day: string; lookups: number }>;
    const keyStatus = status();
    const keys = (c.keys as Json[]).map((k) =>
      h('tr', { 'data-key': k.id },
        h('td', {}, k.name), h('td', {}, h('code', {}, `${k.prefix}…`)), h('td', {}, k.scopes.join(', ')), h('td', {}, date(k.created_at)),
        h('td', {}, k.revoked_at ? `revoked ${date(k.revoked_at)}` : 'active', ' ', !k.revoked_at && me?.role === 'admin' ? revokeKey(id, k, reload, keyStatus) : '')));
    const agents = (c.agents as Json[]).map((a) => h('tr', {}, h('td', {}, a.name), h('td', {}, a.status), h('td', {}, date(a.last_signal_at))));
    const subs = c.subscriptions as Json[];
    const invoices = (c.invoices as Json[]).map((i) => h('tr', {}, h('td', {}, date(i.created_at)), h('td', {}, i.status), h('td', { class: 'num' }, money(i.amount_cents, i.currency))));
    return [
      h('p', {},
        h('strong', { 'data-customer-name': '' }, c.name),
        account ? h('span', {}, ' · ', badge(account.kind, { 'data-kind': account.kind })) : '',
        ' · plan ', h('span', { 'data-plan': '' }, c.plan_id), ' · ',
        subs[0] ? badge(subs[0].status) : badge('none')),
      h('h2', {}, 'Daily lookups (30 days)'),
      usage.every((u) => u.lookups === 0) ? state('empty', 'No lookups in the last 30 days.') : barChart(usage.map((u) => ({ label: u.day, value: u.lookups })), { title: 'Daily lookups', limit: c.daily_quota, tick: (d) => d.slice(5) }),
      h('p', { class: 'state' }, `Daily quota: ${compact(c.daily_quota)} lookups · monthly quota: ${compact(c.quota)}`),
      ...(account ? accountSections(id, account, me, plans, reload) : [h('h2', {}, 'Invoices'), invoices.length ? region('Invoices', ['Date', 'Status', 'Amount'], invoices, [2]) : state('empty', 'No invoices.')]),
      h('h2', {}, 'API keys'),
      keys.length ? region('API keys', ['Name', 'Prefix', 'Scopes', 'Created', 'State'], keys) : state('empty', 'No API keys.'),
      keyStatus,
      h('h2', {}, 'Agents'),
      agents.length ? region('Agents', ['Name', 'Status', 'Last signal'], agents) : state('empty', 'No agents.'),
      ...(me?.role === 'admin' ? erasure(id, c.name as string) : []),
    ];
  });
}
