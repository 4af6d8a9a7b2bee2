/** The Community page's signal volume: signals per UTC day and scenario family (docs/operators.md "Community"). */
import { h, state, table } from '../app/dom.js';
import { barChart, compact } from './charts.js';

interface VolumeDay {
  day: string;
  total: number;
  families: Record<string, number>;
  truncated: boolean;
}

export interface SignalVolume {
  families: string[];
  days: VolumeDay[];
}

/**
 * One small bar chart per family that had signals in the period (busiest first), each named for screen
 * readers, and the same figures as a table (days by family) for whoever cannot read a chart.
 */
export function signalVolume(data: SignalVolume): Node[] {
  const totals = new Map(data.families.map((f) => [f, data.days.reduce((n, d) => n + (d.families[f] ?? 0), 0)]));
  const active = data.families.filter((f) => (totals.get(f) ?? 0) > 0).sort((a, b) => (totals.get(b) ?? 0) - (totals.get(a) ?? 0));
  const first = data.days[0]?.day ?? '';
  const last = data.days[data.days.length - 1]?.day ?? '';
  const intro = h('p', { class: 'lead', 'data-volume-total': String(data.days.reduce((n, d) => n + d.total, 0)) },
    `Signals received per UTC day, ${first} to ${last} (today so far), by scenario family.`);
  if (active.length === 0) return [h('h2', {}, 'Signal volume by scenario family'), intro, state('empty', 'No signal received in this period.')];
  const charts = h('div', { class: 'volume-charts' }, ...active.map((f) =>
    h('figure', { class: 'volume', 'data-family': f },
      h('figcaption', {}, `${f}: ${compact(totals.get(f) ?? 0)} signals`),
      barChart(data.days.map((d) => ({ label: d.day, value: d.families[f] ?? 0 })), { title: `Signals per day, ${f} scenarios, ${first} to ${last}`, tick: (d) => d.slice(5) }),
    )));
  const rows = [...data.days].reverse().map((d) =>
    h('tr', { 'data-day': d.day }, h('td', {}, d.day, d.truncated ? ' *' : ''), ...active.map((f) => h('td', { class: 'num' }, (d.families[f] ?? 0).toLocaleString('en-US'))), h('td', { class: 'num' }, d.total.toLocaleString('en-US'))));
  const wrap = table(['Day (UTC)', ...active, 'All'], rows, active.map((_, i) => i + 1).concat(active.length + 1));
  wrap.setAttribute('tabindex', '0');
  wrap.setAttribute('role', 'region');
  wrap.setAttribute('aria-label', 'Signals per day and scenario family');
  return [
    h('h2', {}, 'Signal volume by scenario family'),
    intro,
    charts,
    h('details', { class: 'volume-table' }, h('summary', {}, 'The same figures as a table'), wrap),
    ...(data.days.some((d) => d.truncated) ? [h('p', { class: 'note' }, '* more than 1,000 distinct scenarios that day: the rarest are not counted.')] : []),
  ];
}
