/** Community page additions (docs/operators.md, "Community"): release from quarantine, organisations' contribution. */
import { h, onSubmit, table } from '../app/dom.js';
import { api } from './api.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers of the admin API, read field by field
type Json = Record<string, any>;

const when = (iso: string | null): string => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—');

/** The agent's latest release from quarantine, in words (empty when it has none). */
export function releaseNote(a: Json): Node | string {
  const r = a.release as Json | null;
  if (!r) return '';
  const text =
    r.status === 'pending'
      ? `release pending (applied by the next scoring run), asked ${when(r.requested_at)} by ${r.requested_by}`
      : r.status === 'released'
        ? `released ${when(r.applied_at)} by ${r.requested_by}`
        : `release of ${when(r.requested_at)} found no quarantine to lift`;
  return h('div', { class: 'rule', 'data-release': r.status }, text, ': ', h('q', {}, r.reason));
}

/** Staff admins: release a quarantined agent with a reason (audited); nothing when one is pending. */
export function releaseForm(a: Json, role: string | undefined, done: () => Promise<void>): HTMLElement | null {
  if (role !== 'admin' || a.quarantined_at === null || a.release?.status === 'pending') return null;
  const status = h('p', { class: 'state', role: 'status' }, '');
  const id = `release-${a.id}`;
  const form = h('form', { class: 'decide', 'data-release-form': a.id, 'aria-label': `Release ${a.name} from quarantine` },
    h('label', { for: id }, 'Reason for the release (written to the audit log)'),
    h('textarea', { id, name: 'reason', required: '', minlength: '10', maxlength: '1000', rows: '2' }),
    h('button', { type: 'submit' }, 'Release from quarantine'),
    status,
  ) as HTMLFormElement;
  onSubmit(form, async () => {
    const reason = (form.querySelector('textarea') as HTMLTextAreaElement).value.trim();
    if (reason.length < 10) throw new Error('Give a reason of at least 10 characters');
    await api('POST', `/v1/admin/agents/${encodeURIComponent(a.id)}/quarantine-release`, { reason });
    await done();
  }, status);
  return form;
}

/** Each organisation's contribution over the agents listed: community organisations first. */
export function contributions(organizations: Json[]): Node[] {
  if (organizations.length === 0) return [];
  const rows = organizations.map((o) =>
    h('tr', { 'data-organization': o.organization_id, 'data-kind': o.organization_kind },
      h('td', {}, o.organization_name),
      h('td', {}, o.organization_kind),
      h('td', { class: 'num' }, String(o.agents)),
      h('td', { class: 'num' }, String(o.active)),
      h('td', { class: 'num' }, String(o.reporting_24h)),
      h('td', { class: 'num' }, String(o.established)),
      h('td', { class: 'num' }, String(o.quarantined)),
      h('td', {}, when(o.last_signal_at)),
    ),
  );
  const wrap = table(['Organisation', 'Kind', 'Agents', 'Active', 'Reporting (24 h)', 'Established', 'Quarantined', 'Last signal'], rows, [2, 3, 4, 5, 6]);
  wrap.setAttribute('tabindex', '0');
  wrap.setAttribute('role', 'region');
  wrap.setAttribute('aria-label', "Organisations' contribution");
  return [h('h2', {}, "Organisations' contribution"), wrap];
}
