import { card, h, onSubmit, state } from '../app/dom.js';
import { api, ApiError, login, logout } from './api.js';
import { barChart, compact } from './charts.js';
import { audit, community, requests } from './console.js';
import { listing, listings } from './listings.js';
import { customerDetail } from './customer-detail.js';
import { revenue } from './revenue.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers of the admin API, read field by field
type Json = Record<string, any>;

const view = document.getElementById('view') as HTMLElement;
const top = document.getElementById('top') as HTMLElement;
let me: { email: string; role: string } | null = null;

const money = (cents: number | null): string => (cents === null ? '—' : `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
const date = (iso: string | null): string => (iso ? iso.slice(0, 10) : '—');
const badge = (s: string | null): HTMLElement => h('span', { class: `badge ${s ?? 'none'}` }, s ?? 'no subscription');

function show(...nodes: Node[]): void {
  view.replaceChildren(...nodes);
}

function table(headers: Array<string | HTMLElement>, rows: HTMLElement[], numeric: number[] = []): HTMLElement {
  const head = h('tr', {}, ...headers.map((x, i) => h('th', numeric.includes(i) ? { class: 'num' } : {}, x)));
  return h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, head), h('tbody', {}, ...rows)));
}

/** Loads a page: its title, a loading state, then what `render` makes of the data (`reload` fetches again). */
async function load<T>(title: string, fetcher: () => Promise<T>, render: (data: T, reload: () => Promise<void>) => Node[]): Promise<void> {
  show(h('h1', {}, title), state('loading', 'Loading…'));
  try {
    const data = await fetcher();
    show(h('h1', {}, title), ...render(data, () => load(title, fetcher, render)));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return renderLogin();
    const text = error instanceof ApiError && error.status === 403 ? `403 — your role (${me?.role ?? '?'}) may not open this page.` : `Could not load: ${(error as Error).message}`;
    show(h('h1', {}, title), state('error', text));
  }
}

function overview(): Promise<void> {
  return load('Overview', () => api<Json>('GET', '/v1/admin/overview'), (o) => {
    const plans = o.active_subscriptions_by_plan as Array<{ plan_id: string; count: number }>;
    const c = o.community as Json;
    const usedShare = o.quota_capacity_today > 0 ? Math.min(100, (o.lookups_today / o.quota_capacity_today) * 100) : 0;
    return [
      h('div', { class: 'cards' },
        card('MRR', money(o.mrr_cents), 'mrr'),
        card('New subscriptions (30 d)', String(o.new_subscriptions_30d), 'new30'),
        card('Churned (30 d)', String(o.churned_subscriptions_30d), 'churned30'),
        card('Past-due accounts', String(o.past_due_accounts), 'past-due'),
        card('Lookups today', `${compact(o.lookups_today)} / ${compact(o.quota_capacity_today)}`, 'lookups-today'),
      ),
      h('div', { class: 'meter-row' },
        h('label', { for: 'capacity-meter' }, `Lookups today against the day's quota capacity: ${usedShare.toFixed(1)} %`),
        h('progress', { id: 'capacity-meter', class: 'meter', max: '100', value: usedShare.toFixed(1) }, `${usedShare.toFixed(1)} %`),
      ),
      h('h2', {}, 'Active subscriptions by plan'),
      plans.length === 0
        ? state('empty', 'No active subscriptions yet.')
        : barChart(plans.map((p) => ({ label: p.plan_id, value: p.count })), { title: 'Active subscriptions by plan' }),
      h('h2', {}, 'Community health'),
      h('div', { class: 'cards' },
        card('Active agents', String(c.active_agents), 'agents'),
        card('Signals (24 h)', compact(c.signals_per_day), 'signals'),
        card('Listed IPs', compact(c.listed_ips), 'listed'),
        card('Blocklist version', c.blocklist_version === null ? '—' : String(c.blocklist_version), 'blocklist-version'),
      ),
    ];
  });
}

let customerQuery = { q: '', sort: 'name', dir: 'asc', kind: 'customer' };
/** Filters applied to the listed rows: a plan, and a subscription status (`past_due`: failed payments). */
let customerFilter = { plan: '', status: '' };

function customers(): Promise<void> {
  const params = new URLSearchParams(customerQuery);
  return load('Customers', () => api<Json>('GET', `/v1/admin/customers?${params}`), (data) => {
    const search = h('input', { type: 'search', placeholder: 'Search by name', value: customerQuery.q, 'aria-label': 'Search customers' }) as HTMLInputElement;
    search.addEventListener('change', () => {
      customerQuery = { ...customerQuery, q: search.value };
      void customers();
    });
    const sortBy = (key: string, label: string): HTMLElement => {
      const b = h('button', { type: 'button', 'data-sort': key }, label + (customerQuery.sort === key ? (customerQuery.dir === 'asc' ? ' ▲' : ' ▼') : ''));
      b.addEventListener('click', () => {
        customerQuery = { ...customerQuery, sort: key, dir: customerQuery.sort === key && customerQuery.dir === 'asc' ? 'desc' : 'asc' };
        void customers();
      });
      return b;
    };
    const all = data.customers as Json[];
    const choose = (name: 'plan' | 'status', label: string, values: string[], text: (v: string) => string): HTMLElement => {
      const field = h('select', { name }, h('option', { value: '' }, 'any'), ...values.map((v) => h('option', v === customerFilter[name] ? { value: v, selected: '' } : { value: v }, text(v)))) as HTMLSelectElement;
      field.addEventListener('change', () => {
        customerFilter = { ...customerFilter, [name]: field.value };
        void customers();
      });
      return h('label', { class: 'inline' }, label, field);
    };
    const kind = h('select', { name: 'kind' }, ...['customer', 'community', 'internal'].map((k) => h('option', k === customerQuery.kind ? { value: k, selected: '' } : { value: k }, k))) as HTMLSelectElement;
    kind.addEventListener('change', () => {
      customerQuery = { ...customerQuery, kind: kind.value };
      void customers();
    });
    const plansSeen = [...new Set(all.map((c) => c.plan_id as string))].sort();
    const statuses = ['active', 'trialing', 'past_due', 'canceled', 'none'];
    const shown = all.filter((c) => (!customerFilter.plan || c.plan_id === customerFilter.plan) && (!customerFilter.status || (c.status ?? 'none') === customerFilter.status));
    const rows = shown.map((c) =>
      h('tr', { 'data-customer': c.id },
        h('td', {}, h('a', { href: `#/customers/${c.id}` }, c.name), c.suspended_at ? h('span', { class: 'badge suspended' }, ' suspended') : ''),
        h('td', {}, c.plan_id),
        h('td', {}, badge(c.status)),
        h('td', { class: 'num' }, `${compact(c.usage)} / ${compact(c.quota)}`),
        h('td', { class: 'num' }, compact(c.overage)),
        h('td', {}, c.last_invoice_at ? `${money(c.last_invoice_cents)} ${c.last_invoice_status} ${date(c.last_invoice_at)}` : '—'),
      ),
    );
    return [
      h('div', { class: 'toolbar' }, search,
        h('label', { class: 'inline' }, 'Kind', kind),
        choose('plan', 'Plan', plansSeen, (v) => v),
        choose('status', 'Subscription', statuses, (v) => (v === 'past_due' ? 'past due (failed payment)' : v === 'none' ? 'no subscription' : v))),
      rows.length === 0
        ? state('empty', customerQuery.q || customerFilter.plan || customerFilter.status ? 'No customer matches this search.' : 'No customers yet.')
        : table([sortBy('name', 'Name'), sortBy('plan', 'Plan'), sortBy('status', 'Status'), sortBy('usage', 'Usage / quota'), sortBy('overage', 'Overage'), sortBy('last_invoice', 'Last invoice')], rows, [3, 4]),
    ];
  });
}

function plans(): Promise<void> {
  const fields = [['burst_per_second', 'Burst per second'], ['daily_quota', 'Daily quota'], ['monthly_quota', 'Monthly quota'], ['bulk_size', 'Bulk size']];
  return load('Plans', () => api<Json>('GET', '/v1/admin/plans'), (data) => [
    h('div', { class: 'plan-list' },
      ...(data.plans as Json[]).map((p) => {
        const status = h('p', { class: 'state', 'data-state': 'idle', role: 'status' }, '');
        const grid = h('div', { class: 'plan-fields' });
        for (const [key, label] of fields) grid.append(h('label', {}, label, h('input', { type: 'number', min: '0', name: key, value: String(p[key]) })));
        const form = h('form', { class: 'plan-form card', 'data-plan-id': p.id, 'aria-label': `Plan ${p.name}` },
          h('h2', {}, p.name, ' ', h('code', {}, p.id)),
          grid,
          h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save limits'), status),
        ) as HTMLFormElement;
        onSubmit(form, async () => {
          const body: Json = {};
          for (const [key] of fields) body[key] = Number((form.querySelector(`[name=${key}]`) as HTMLInputElement).value);
          status.textContent = 'Saving…';
          await api('PUT', `/v1/admin/plans/${encodeURIComponent(p.id)}`, body);
          status.className = 'state ok';
          status.textContent = 'Saved (audited as plan.updated).';
        }, status);
        return form;
      }),
    ),
  ]);
}

function renderLogin(message = ''): void {
  me = null;
  top.hidden = true;
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: '' }) as HTMLInputElement;
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: '' }) as HTMLInputElement;
  const totp = h('input', { name: 'totp_code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: '6' }) as HTMLInputElement;
  const error = h('p', { class: 'state error', role: 'alert' }, message);
  const form = h('form', { class: 'login' },
    h('h1', {}, 'Quorum operator console'),
    h('label', {}, 'Email', email),
    h('label', {}, 'Password', password),
    h('label', {}, 'Two-factor code (if enrolled)', totp),
    h('button', { type: 'submit' }, 'Log in'),
    error,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.textContent = '';
    login(email.value, password.value, totp.value.trim()).then(
      (session) => {
        me = session.operator;
        location.hash = '#/overview';
        void route();
      },
      (err: Error) => (error.textContent = err.message),
    );
  });
  show(form);
}

async function route(): Promise<void> {
  if (!me) {
    try {
      me = await api<{ email: string; role: string }>('GET', '/v1/admin/me');
    } catch {
      return renderLogin();
    }
  }
  top.hidden = false;
  (document.getElementById('who') as HTMLElement).textContent = `${me.email} (${me.role})`;
  const [, page = 'overview', id] = location.hash.replace(/^#/, '').split('/');
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.getAttribute('data-nav') === page);
  if (page === 'customers' && id) return customerDetail(load, me, id);
  if (page === 'revenue') return revenue(load);
  if (page === 'customers') return customers();
  if (page === 'plans') return plans();
  if (page === 'requests') return requests(load, me);
  if (page === 'listings' && id) return listing(load, decodeURIComponent(id));
  if (page === 'listings') return listings(load);
  if (page === 'community') return community(load, me);
  if (page === 'audit') return audit(load);
  return overview();
}

document.getElementById('logout')?.addEventListener('click', () => {
  logout().finally(() => {
    location.hash = '#/login';
    renderLogin('Logged out.');
  });
});
window.addEventListener('hashchange', () => void route());
void route();
