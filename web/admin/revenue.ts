/** The console's revenue page (docs/operators.md "Revenue"): MRR trend, flows per month, failed payments, top customers. */
import { card, h, state, table } from '../app/dom.js';
import { api } from './api.js';
import { barChart, compact } from './charts.js';
import type { Loader } from './console.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers of the admin API, read field by field
type Json = Record<string, any>;

interface Day {
  day: string;
  mrr_cents: number | null;
  live_subscriptions: number | null;
  past_due: number | null;
  new_subscriptions: number;
  churned_subscriptions: number;
}

const money = (cents: number | null, currency = 'usd'): string =>
  cents === null ? '—' : (cents / 100).toLocaleString('en-US', { style: 'currency', currency: currency.toUpperCase() });
const when = (iso: string | null): string => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—');

/** A table in a named, keyboard-reachable scrolling region (wide tables scroll on a phone). */
function region(label: string, headers: string[], rows: HTMLElement[], numeric: number[] = []): HTMLElement {
  const wrap = table(headers, rows, numeric);
  wrap.setAttribute('tabindex', '0');
  wrap.setAttribute('role', 'region');
  wrap.setAttribute('aria-label', label);
  return wrap;
}

/** New and churned subscriptions per UTC month, with the past-due count and MRR of the month's last snapshot. */
function months(days: Day[]): HTMLElement[] {
  const byMonth = new Map<string, { added: number; churned: number; last: Day | null }>();
  for (const d of days) {
    const m = byMonth.get(d.day.slice(0, 7)) ?? { added: 0, churned: 0, last: null };
    m.added += d.new_subscriptions;
    m.churned += d.churned_subscriptions;
    if (d.mrr_cents !== null) m.last = d;
    byMonth.set(d.day.slice(0, 7), m);
  }
  return [...byMonth.entries()].reverse().map(([month, m]) =>
    h('tr', { 'data-month': month },
      h('td', {}, month),
      h('td', { class: 'num' }, String(m.added)),
      h('td', { class: 'num' }, String(m.churned)),
      h('td', { class: 'num' }, m.last ? String(m.last.past_due) : '—'),
      h('td', { class: 'num' }, m.last ? money(m.last.mrr_cents) : '—'),
    ),
  );
}

export function revenue(load: Loader): Promise<void> {
  return load('Revenue', () => api<Json>('GET', '/v1/admin/revenue'), (r) => {
    const days = r.daily as Day[];
    const known = days.filter((d) => d.mrr_cents !== null);
    const failed = (r.failed_payments as Json[]).map((f) =>
      h('tr', { 'data-invoice': f.invoice_id },
        h('td', {}, when(f.payment_failed_at)),
        h('td', {}, f.organization_name ? h('a', { href: `#/customers/${f.organization_id}` }, f.organization_name) : 'erased organisation'),
        h('td', { class: 'num' }, money(f.amount_cents, f.currency)),
        h('td', {}, h('span', { class: `badge ${f.stripe_status}`, 'data-stripe-status': f.stripe_status }, f.stripe_status)),
        h('td', { class: 'num' }, String(f.attempt_count)),
        h('td', {}, f.stripe_status === 'open' ? when(f.next_payment_attempt) : '—'),
      ),
    );
    const top = (rows: Json[], figure: (t: Json) => string) =>
      rows.map((t) => h('tr', { 'data-top': t.organization_id }, h('td', {}, h('a', { href: `#/customers/${t.organization_id}` }, t.name)), h('td', { class: 'num' }, figure(t))));
    const pastDueNow = days[days.length - 1]?.past_due ?? 0;
    return [
      h('div', { class: 'cards' },
        card('MRR now', money(r.mrr_cents), 'revenue-mrr'),
        card('Past due now', String(pastDueNow), 'revenue-past-due'),
        card('New (30 d)', String(days.slice(-30).reduce((s, d) => s + d.new_subscriptions, 0)), 'revenue-new30'),
        card('Churned (30 d)', String(days.slice(-30).reduce((s, d) => s + d.churned_subscriptions, 0)), 'revenue-churned30'),
      ),
      h('h2', {}, 'MRR per day (12 months)'),
      h('p', { class: 'note', 'data-snapshots-since': r.snapshots_since ?? '' },
        r.snapshots_since && r.snapshots_since > days[0].day
          ? `Daily snapshots start on ${r.snapshots_since}: days before it are left blank, never estimated.`
          : 'One snapshot per UTC day (the day\'s last hourly run); today is live.'),
      known.length === 0
        ? state('empty', 'No revenue snapshot yet.')
        : barChart(known.map((d) => ({ label: d.day, value: Math.round((d.mrr_cents ?? 0) / 100) })), { title: 'MRR per day, in dollars', tick: (d) => d.slice(5) }),
      h('h2', {}, 'Past-due subscriptions per day'),
      known.length === 0 ? state('empty', 'No snapshot yet.') : barChart(known.map((d) => ({ label: d.day, value: d.past_due ?? 0 })), { title: 'Past-due subscriptions per day', tick: (d) => d.slice(5) }),
      h('h2', {}, 'New, churned and past due per month'),
      region('New, churned and past due per month', ['Month', 'New', 'Churned', 'Past due (month end)', 'MRR (month end)'], months(days), [1, 2, 3, 4]),
      h('h2', {}, 'Failed payments'),
      failed.length === 0
        ? state('empty', 'No failed payment.')
        : region('Failed payments', ['Failed', 'Customer', 'Amount', 'Stripe status', 'Attempts', 'Next retry'], failed, [2, 4]),
      h('p', { class: 'note' }, "Stripe's status of each invoice now: open (Stripe retries on the date shown), paid (a later attempt succeeded), uncollectible or void."),
      h('div', {},
        h('section', { 'aria-labelledby': 'top-revenue' },
          h('h2', { id: 'top-revenue' }, 'Top customers by revenue (12 months)'),
          r.top_by_revenue.length === 0 ? state('empty', 'No paid invoice yet.') : region('Top customers by revenue', ['Customer', 'Paid'], top(r.top_by_revenue, (t) => money(t.paid_cents)), [1])),
        h('section', { 'aria-labelledby': 'top-usage' },
          h('h2', { id: 'top-usage' }, 'Top customers by usage (30 days)'),
          r.top_by_usage.length === 0 ? state('empty', 'No lookups yet.') : region('Top customers by usage', ['Customer', 'Lookups'], top(r.top_by_usage, (t) => compact(t.lookups)), [1])),
      ),
    ];
  });
}
