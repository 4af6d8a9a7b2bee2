/** The operator console's work pages: delisting and privacy requests, community (agents), audit log (docs/operators.md). */
import { action, h, onSubmit, state, table } from '../app/dom.js';
import { api } from './api.js';
import { contributions, releaseForm, releaseNote } from './community-actions.js';
import { type SignalVolume, signalVolume } from './signal-volume.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers of the admin API, read field by field
type Json = Record<string, any>;
export type Loader = <T>(title: string, fetcher: () => Promise<T>, render: (data: T, reload: () => Promise<void>) => Node[]) => Promise<void>;
type Me = { email: string; role: string } | null;

/** A table whose scrolling wrapper is keyboard-reachable and named (a wide table scrolls on a phone). */
function region(label: string, headers: string[], rows: HTMLElement[]): HTMLElement {
  const wrap = table(headers, rows);
  wrap.setAttribute('tabindex', '0');
  wrap.setAttribute('role', 'region');
  wrap.setAttribute('aria-label', label);
  return wrap;
}

const when = (iso: string | null): string => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—');
const badge = (text: string, kind = text): HTMLElement => h('span', { class: `badge ${kind}` }, text.replace(/_/g, ' '));

/** "in 2 d 3 h" / "5 h overdue", from now to `iso`. */
function remaining(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const span = d > 0 ? `${d} d ${hours} h` : `${hours} h ${Math.floor((abs % 3_600_000) / 60_000)} min`;
  return ms >= 0 ? `in ${span}` : `${span} overdue`;
}

const KIND_LABEL: Record<string, string> = {
  ip_delisting: 'Delisting',
  ip_access: 'Access (Art. 15)',
  ip_erasure: 'Erasure (Art. 17)',
  ip_objection: 'Objection (Art. 21)',
  organization_erasure: 'Organisation erasure',
};

/** The form deciding a delisting request: outcome and a written justification (audited). */
function decideForm(item: Json, done: () => Promise<void>): HTMLElement {
  const status = h('p', { class: 'state', role: 'status' }, '');
  const id = `justify-${item.id}`;
  const outcome = (value: string, label: string, checked = false) =>
    h('label', {}, h('input', { type: 'radio', name: `outcome-${item.id}`, value, required: '', ...(checked ? { checked: '' } : {}) }), label);
  const form = h('form', { class: 'decide', 'data-decide': item.id, 'aria-label': `Decide the request for ${item.ip}` },
    h('fieldset', {}, h('legend', { class: 'sr-only' }, 'Outcome'), outcome('upheld', 'Uphold: delist'), outcome('rejected', 'Reject: keep listed')),
    h('label', { for: id }, 'Justification (written to the audit log)'),
    h('textarea', { id, name: 'justification', required: '', minlength: '10', maxlength: '2000', rows: '2' }),
    h('button', { type: 'submit' }, 'Decide'),
    status,
  ) as HTMLFormElement;
  onSubmit(form, async () => {
    const chosen = form.querySelector<HTMLInputElement>(`input[name="outcome-${item.id}"]:checked`);
    const justification = (form.querySelector('textarea') as HTMLTextAreaElement).value.trim();
    if (!chosen) throw new Error('Choose uphold or reject');
    await api('POST', `/v1/admin/delisting-requests/${encodeURIComponent(item.id)}/review`, { outcome: chosen.value, justification });
    await done();
  }, status);
  return form;
}

export function requests(load: Loader, me: Me): Promise<void> {
  return load('Delisting & privacy requests', () => api<Json>('GET', '/v1/admin/console/requests'), (data, reload) => {
    const now = Date.parse(data.generated_at as string);
    const items = data.items as Json[];
    const open = items.filter((i) => i.closed_at === null);
    const closed = items.filter((i) => i.closed_at !== null);
    const canDecide = me?.role === 'admin' || me?.role === 'support';
    const row = (i: Json): HTMLElement => {
      const detail = h('div', { class: 'detail' });
      if (i.ip) detail.append(h('div', {}, h('code', {}, i.ip), i.proof_method ? ` · proof: ${i.proof_method}` : ' · no proof'));
      if (i.reason) detail.append(h('div', {}, 'Reason: ', h('q', {}, i.reason)));
      if (i.contact) detail.append(h('div', {}, 'Contact: ', i.contact));
      if (i.grounds) detail.append(h('div', {}, 'Grounds: ', i.grounds));
      const cells = [
        i.closed_at === null
          ? h('td', {}, when(i.due_at), h('br'), h('span', { class: i.overdue ? 'due overdue' : 'due' }, remaining(i.due_at, now)), h('div', { class: 'rule' }, i.due_rule))
          : h('td', {}, `closed ${when(i.closed_at)}`),
        h('td', {}, KIND_LABEL[i.kind] ?? i.kind),
        h('td', {}, badge(i.status)),
        h('td', {}, detail),
        h('td', {}, when(i.created_at)),
      ];
      const tr = h('tr', { 'data-item': i.id, 'data-type': i.type, 'data-status': i.status }, ...cells);
      if (i.decidable && canDecide) tr.append(h('td', { class: 'wide' }, decideForm(i, reload)));
      else if (i.closed_at !== null && i.type === 'delisting') tr.append(h('td', { 'data-decision': '' }, `${i.status.replace(/_/g, ' ')}${i.decided_by ? ` by ${i.decided_by}` : ''}`, i.justification ? h('div', {}, h('q', {}, i.justification)) : ''));
      else if (i.closed_at !== null) tr.append(h('td', {}, i.grounds ? 'refused with grounds' : i.status.replace(/_/g, ' ')));
      else tr.append(h('td', {}, i.decidable ? 'an admin or support operator decides' : i.type === 'privacy' ? 'answered automatically once the holder proves control' : 'waiting for the holder\'s proof'));
      return tr;
    };
    const headers = ['Due', 'Request', 'Status', 'Details', 'Received', 'Decision'];
    const closedHeaders = ['Closed', 'Request', 'Status', 'Details', 'Received', 'Decision'];
    return [
      h('p', { class: 'lead' }, `${open.length} open, most urgent first. Delisting requests are reviewed within 72 h of their proof or review request; privacy requests are answered within one month (GDPR).`),
      open.length ? region('Open requests', headers, open.map(row)) : state('empty', 'No open request.'),
      h('h2', {}, 'Closed in the last 30 days'),
      closed.length ? region('Requests closed in the last 30 days', closedHeaders, closed.map(row)) : state('empty', 'Nothing closed in the last 30 days.'),
    ];
  });
}

let agentQuery = { status: '', q: '' };

export function community(load: Loader, me: Me): Promise<void> {
  const params = new URLSearchParams(Object.entries(agentQuery).filter(([, v]) => v !== ''));
  const fetchAll = async (): Promise<Json> => {
    const [agents, volume] = await Promise.all([api<Json>('GET', `/v1/admin/console/agents?${params}`), api<SignalVolume>('GET', '/v1/admin/console/signal-volume?days=30')]);
    return { ...agents, volume };
  };
  return load('Community', fetchAll, (data, reload) => {
    const filter = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter agents' },
      h('label', {}, 'Agent or organisation', h('input', { type: 'search', name: 'q', value: agentQuery.q })),
      h('label', {}, 'Status', h('select', { name: 'status' }, ...['', 'active', 'quarantined', 'revoked'].map((s) => h('option', s === agentQuery.status ? { value: s, selected: '' } : { value: s }, s || 'any')))),
      h('button', { type: 'submit' }, 'Filter'),
    ) as HTMLFormElement;
    const filterStatus = h('p', { class: 'state', role: 'status' }, '');
    onSubmit(filter, async () => {
      agentQuery = { q: (filter.elements.namedItem('q') as HTMLInputElement).value.trim(), status: (filter.elements.namedItem('status') as HTMLSelectElement).value };
      await community(load, me);
    }, filterStatus);
    const canRevoke = me?.role === 'admin' || me?.role === 'support';
    const rows = (data.agents as Json[]).map((a) => {
      const status = h('span', { class: 'state', role: 'status' }, '');
      let armed = false;
      const revoke = action('Revoke', async () => {
        if (!armed) {
          armed = true;
          revoke.textContent = `Confirm: revoke ${a.name}`;
          return;
        }
        await api('POST', `/v1/agents/${encodeURIComponent(a.id)}/revoke`);
        await reload();
      }, status, { class: 'danger', 'data-revoke': a.id });
      const quarantine = a.quarantined_at ? `${a.quarantine_reason ?? 'engine'}, since ${when(a.quarantined_at)}` : '—';
      return h('tr', { 'data-agent': a.id, 'data-band': a.trust_band },
        h('td', {}, a.name, h('div', { class: 'rule' }, a.kind)),
        h('td', {}, a.organization_name, h('div', { class: 'rule' }, a.organization_kind)),
        h('td', {}, badge(a.status)),
        h('td', {}, when(a.last_signal_at)),
        h('td', {}, badge(a.trust_band), a.trust === null ? '' : ` ${a.trust.toFixed(2)}`),
        h('td', {}, quarantine, releaseNote(a)),
        h('td', {}, a.status !== 'revoked' && canRevoke ? h('span', {}, revoke, status) : '—', releaseForm(a, me?.role, reload)),
      );
    });
    const counts = (data.agents as Json[]).reduce<Record<string, number>>((acc, a) => ({ ...acc, [a.trust_band]: (acc[a.trust_band] ?? 0) + 1 }), {});
    return [
      filter,
      filterStatus,
      h('p', { class: 'lead', 'data-counts': '' }, `${rows.length} agent${rows.length === 1 ? '' : 's'} · ` + (Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(' · ') || 'none')),
      rows.length ? region('Agents', ['Agent', 'Organisation', 'Status', 'Last signal', 'Trust band', 'Quarantine', 'Action'], rows) : state('empty', 'No agent matches.'),
      h('p', { class: 'note' }, 'Revoking stops the agent at once (its token is refused) and is audited as agent.revoked. Quarantine is decided by the scoring engine (docs/consensus.md); an admin may release an agent with a reason, applied by the next scoring run.'),
      ...contributions(data.organizations as Json[]),
      ...signalVolume(data.volume as SignalVolume),
    ];
  });
}

let auditQuery: Record<string, string> = { actor: '', action: '', target: '', from: '', to: '' };
/** The page shown: '' for the newest, else the cursor it was asked from (the database pages the whole log). */
let auditBefore = '';

export function audit(load: Loader): Promise<void> {
  const params = new URLSearchParams(Object.entries(auditQuery).filter(([, v]) => v !== '').map(([k, v]) => [k, k === 'from' || k === 'to' ? new Date(`${v}Z`).toISOString() : v]));
  if (auditBefore) params.set('before', auditBefore);
  return load('Audit log', () => api<Json>('GET', `/v1/admin/console/audit?${params}`), (data) => {
    const field = (name: string, label: string, type = 'text') => h('label', {}, label, h('input', { type, name, value: auditQuery[name] }));
    const filter = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter the audit log' },
      field('actor', 'Actor'), field('action', 'Action'), field('target', 'Target'),
      field('from', 'From (UTC)', 'datetime-local'), field('to', 'To (UTC)', 'datetime-local'),
      h('button', { type: 'submit' }, 'Filter'),
    ) as HTMLFormElement;
    const filterStatus = h('p', { class: 'state', role: 'status' }, '');
    onSubmit(filter, async () => {
      auditQuery = Object.fromEntries(Object.keys(auditQuery).map((k) => [k, (filter.elements.namedItem(k) as HTMLInputElement).value.trim()]));
      auditBefore = '';
      await audit(load);
    }, filterStatus);
    const chain = data.chain as Json;
    const chainNote = chain.ok
      ? h('p', { class: 'chain ok', 'data-chain': 'ok', role: 'status' }, `Hash chain verified: ${chain.checked.toLocaleString('en-US')} entries, no broken link.`)
      : h('p', { class: 'chain broken', 'data-chain': 'broken', role: 'alert' }, `Hash chain BROKEN at entry ${chain.broken_at} (after ${chain.checked} good entries): the log was edited, inserted into or truncated.`);
    const rows = (data.entries as Json[]).map((e) =>
      h('tr', { 'data-entry': e.id, 'data-action': e.action },
        h('td', {}, when(e.at)),
        h('td', {}, h('code', {}, e.actor)),
        h('td', {}, e.action),
        h('td', {}, e.target ? h('code', {}, e.target) : '—'),
        h('td', { class: 'details' }, e.details ? JSON.stringify(e.details) : ''),
      ),
    );
    const pageStatus = h('span', { class: 'state', role: 'status' }, '');
    const go = (before: string) => async () => {
      auditBefore = before;
      await audit(load);
    };
    const pager = h('p', { class: 'pager' },
      auditBefore ? action('Newest entries', go(''), pageStatus, { 'data-page': 'newest' }) : '',
      data.next_cursor ? action('Older entries', go(data.next_cursor as string), pageStatus, { 'data-page': 'older' }) : '',
      pageStatus,
    );
    const scope = data.next_cursor ? `${data.searched.toLocaleString('en-US')} entries searched on this page; older entries remain` : 'searched down to the oldest entry';
    return [
      chainNote,
      filter,
      filterStatus,
      h('p', { class: 'lead', 'data-next': data.next_cursor ?? '' }, `${rows.length} matching ${rows.length === 1 ? 'entry' : 'entries'}${auditBefore ? ' (older page)' : ''}, newest first; ${scope}.`),
      rows.length ? region('Audit entries', ['Time', 'Actor', 'Action', 'Target', 'Details'], rows) : state('empty', data.next_cursor ? 'No match on this page: look at older entries.' : 'No entry matches.'),
      pager,
    ];
  });
}
