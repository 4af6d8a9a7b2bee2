/** The operator console's listings page: an IP or a range, one IP's explanation, the blocklist's versions (docs/operators.md, "Listings"). */
import { h, onSubmit, state, table } from '../app/dom.js';
import { api } from './api.js';
import type { Loader } from './console.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers of the admin API, read field by field
type Json = Record<string, any>;

const when = (iso: string | null): string => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—');
const badge = (text: string, kind = text): HTMLElement => h('span', { class: `badge ${kind}` }, text.replace(/_/g, ' '));
const listedBadge = (s: Json): HTMLElement => (s.listed ? badge('listed', 'quarantined') : badge(s.known ? 'not listed' : 'unknown', 'none'));
/** The address to ask about for a scoring key (an IPv6 key is its /64). */
const addressOf = (key: string): string => key.replace(/\/64$/, '');
const detailHref = (key: string): string => `#/listings/${encodeURIComponent(addressOf(key))}`;

function region(label: string, headers: string[], rows: HTMLElement[], numeric: number[] = []): HTMLElement {
  const wrap = table(headers, rows, numeric);
  wrap.setAttribute('tabindex', '0');
  wrap.setAttribute('role', 'region');
  wrap.setAttribute('aria-label', label);
  return wrap;
}

let search = { q: '', page: 1 };
const PAGE_SIZE = 50;

/** Search form and results (an IP goes straight to its explanation), then the version history. */
export function listings(load: Loader): Promise<void> {
  const current = { ...search };
  return load(
    'Listings',
    async () => {
      const params = new URLSearchParams({ q: current.q, page: String(current.page), page_size: String(PAGE_SIZE) });
      const [found, versions] = await Promise.all([
        current.q ? api<Json>('GET', `/v1/admin/console/listings?${params}`) : Promise.resolve(null),
        api<Json>('GET', '/v1/admin/console/blocklist-versions?limit=20'),
      ]);
      return { found, versions };
    },
    ({ found, versions }) => {
      const query = h('input', { type: 'search', name: 'q', value: current.q, required: '', maxlength: '64', placeholder: '203.0.113.7 or 203.0.113.0/24', autocomplete: 'off' }) as HTMLInputElement;
      const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Search listings' },
        h('label', {}, 'IP address or range (at most a /16 for IPv4, a /48 for IPv6)', query),
        h('button', { type: 'submit' }, 'Search'),
      ) as HTMLFormElement;
      const status = h('p', { class: 'state', role: 'status' }, '');
      onSubmit(form, async () => {
        const q = query.value.trim();
        if (!q.includes('/')) {
          location.hash = `#/listings/${encodeURIComponent(q)}`;
          return;
        }
        search = { q, page: 1 };
        await listings(load);
      }, status);
      return [form, status, ...(found ? results(found, load) : [h('p', { class: 'lead' }, 'Search an address for its explanation, or a range for the state of every address Quorum has scored in it.')]), ...versionHistory(versions)];
    },
  );
}

function results(found: Json, load: Loader): Node[] {
  const rows = (found.items as Json[]).map((s) =>
    h('tr', { 'data-key': s.ip_key, 'data-listed': String(s.listed) },
      h('td', {}, h('a', { href: detailHref(s.ip_key) }, s.ip_key)),
      h('td', {}, listedBadge(s)),
      h('td', { class: 'num' }, s.score === null ? '—' : s.score.toFixed(2)),
      h('td', { class: 'num' }, String(s.reporters)),
      h('td', { class: 'num' }, String(s.asns)),
      h('td', {}, when(s.listed_at)),
      h('td', {}, when(s.listed_until)),
      h('td', {}, (s.scenarios as string[]).join(', ') || '—'),
    ),
  );
  const pages = Math.max(1, Math.ceil(found.known / found.page_size));
  const pager = h('div', { class: 'toolbar' });
  const turn = (label: string, page: number) => {
    const b = h('button', { type: 'button', 'data-page': String(page) }, label);
    b.addEventListener('click', () => {
      search = { ...search, page };
      void listings(load);
    });
    return b;
  };
  if (found.page > 1) pager.append(turn('Previous page', found.page - 1));
  if (found.page < pages) pager.append(turn('Next page', found.page + 1));
  return [
    h('p', { class: 'lead', 'data-summary': '' }, `${found.query}: ${found.known.toLocaleString('en-US')} of ${found.keys_in_range.toLocaleString('en-US')} addresses scored, ${found.listed.toLocaleString('en-US')} listed · page ${found.page} of ${pages}`),
    rows.length ? region('Addresses in the range', ['Address', 'State', 'Score', 'Reporters', 'Networks', 'Listed since', 'Listed until', 'Behaviour'], rows, [2, 3, 4]) : state('empty', 'Quorum has scored no address of this range.'),
    pager,
  ];
}

function versionRows(versions: Json[]): HTMLElement[] {
  return versions.map((v) =>
    h('tr', { 'data-version': String(v.id) },
      h('td', { class: 'num' }, String(v.id)),
      h('td', {}, when(v.created_at)),
      h('td', { class: 'num' }, `+${v.added}`),
      h('td', { class: 'num' }, `−${v.removed}`),
      h('td', { class: 'num' }, v.total.toLocaleString('en-US')),
    ),
  );
}

/** The newest versions, and a button loading older ones page by page. */
function versionHistory(page: Json): Node[] {
  const body = versionRows(page.versions as Json[]);
  const wrap = region('Blocklist versions', ['Version', 'Published', 'Added', 'Removed', 'Entries'], body, [0, 2, 3, 4]);
  const tbody = wrap.querySelector('tbody') as HTMLElement;
  const status = h('p', { class: 'state', role: 'status' }, '');
  let before: number | null = page.next_before;
  const more = h('button', { type: 'button', 'data-more-versions': '' }, 'Older versions') as HTMLButtonElement;
  more.hidden = before === null;
  more.addEventListener('click', () => {
    more.disabled = true;
    api<Json>('GET', `/v1/admin/console/blocklist-versions?limit=20&before=${before}`).then(
      (next) => {
        tbody.append(...versionRows(next.versions as Json[]));
        before = next.next_before;
        more.hidden = before === null;
        more.disabled = false;
      },
      (error: Error) => {
        more.disabled = false;
        status.className = 'state error';
        status.textContent = error.message;
      },
    );
  });
  return [
    h('h2', {}, 'Blocklist versions'),
    h('p', { class: 'lead' }, `Newest first; history is kept from version ${page.oldest_kept} on.`),
    (page.versions as Json[]).length ? wrap : state('empty', 'No version published yet.'),
    more,
    status,
  ];
}

/** One IP: state, voters as pseudonyms with their evidence, listings and delistings, explanations. */
export function listing(load: Loader, ip: string): Promise<void> {
  return load(`Listing of ${ip}`, () => api<Json>('GET', `/v1/admin/console/listings/${encodeURIComponent(ip)}`), (d) => {
    const s = d.state as Json;
    const facts = s.known
      ? `score ${s.score.toFixed(2)} · ${s.reporters} reporters · ${s.asns} networks · ${s.established} established · first seen ${when(s.first_seen)} · last seen ${when(s.last_seen)}`
      : 'Quorum holds no score for this address (never reported, or its score expired).';
    const voters = (d.voters as Json[]).map((v) =>
      h('tr', { 'data-voter': v.reporter },
        h('td', {}, h('code', { title: v.reporter }, `${v.reporter.slice(0, 12)}…`)),
        h('td', {}, badge(v.trust_band), v.trust === null ? '' : ` ${v.trust.toFixed(2)}`),
        h('td', {}, v.in_listing ? 'yes' : 'no'),
        h('td', { class: 'detail' }, ...(v.scenarios as Json[]).map((e) => h('div', {}, `${e.scenario}: ${e.signals} signal${e.signals === 1 ? '' : 's'}, ${when(e.first_at)} – ${when(e.last_at)}`))),
      ),
    );
    const timeline = (d.timeline as Json[]).map((e) =>
      h('tr', { 'data-event': e.event },
        h('td', {}, when(e.at)),
        h('td', { class: 'num' }, String(e.version)),
        h('td', {}, badge(e.event, e.event === 'delisted' ? 'established' : e.event === 'listed' ? 'quarantined' : 'none')),
        h('td', {}, e.scenario_class),
        h('td', { class: 'num' }, e.score.toFixed(2)),
        h('td', {}, when(e.until)),
      ),
    );
    const explanations = (d.explanations as Json[]).map((e) =>
      h('tr', {},
        h('td', {}, when(e.listed_at)),
        h('td', {}, e.reason),
        h('td', { class: 'num' }, e.score.toFixed(2)),
        h('td', { class: 'num' }, String(e.asns)),
        h('td', { class: 'num' }, String(e.established)),
        h('td', {}, (e.scenario_classes as string[]).join(', ')),
        h('td', { class: 'num' }, String((e.voters as string[]).length)),
      ),
    );
    return [
      h('p', {}, h('a', { href: '#/listings' }, '← Back to the search')),
      h('p', { 'data-state-line': '' }, listedBadge(s), s.listed ? ` since ${when(s.listed_at)}, until ${when(s.listed_until)} (${s.reason})` : '', ' · ', h('code', {}, s.ip_key)),
      h('p', { class: 'lead' }, facts, s.scenarios.length ? ` · behaviour: ${(s.scenarios as string[]).join(', ')}` : '', s.honeypot ? ' · seen by Quorum\'s sensors' : ''),
      h('h2', {}, `Voters (last ${d.vote_window_hours} h)`),
      h('p', { class: 'note' }, 'Reporters appear as pseudonyms (HMAC under their organisation\'s key), never as agents or organisations.'),
      voters.length ? region('Voters and their evidence', ['Reporter', 'Trust', 'In the listing', 'Evidence per scenario'], voters) : state('empty', 'No report of this address within the vote window.'),
      h('h2', {}, 'Listings and delistings'),
      h('p', { class: 'lead' }, d.history_since ? `From the blocklist history kept since ${when(d.history_since)}.` : 'No blocklist version kept.'),
      timeline.length ? region('Listings and delistings', ['Published', 'Version', 'Event', 'Behaviour', 'Score', 'Until'], timeline, [1, 4]) : state('empty', 'Never on the blocklist in the kept history.'),
      h('h2', {}, 'Explanations written at listing'),
      explanations.length ? region('Explanations', ['Listed at', 'Reason', 'Score', 'Networks', 'Established', 'Behaviour', 'Voters'], explanations, [2, 3, 4, 6]) : state('empty', 'Never listed by consensus.'),
    ];
  });
}
