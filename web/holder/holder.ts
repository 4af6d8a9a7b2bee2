/**
 * IP-holder pages (docs/consensus.md, "Delisting"; docs/privacy.md): `/` and `/check` ask for an
 * address, `/ip/{ip}` says whether it is listed and why in plain words, and lets its holder ask for a
 * delisting (three ways to show control, with exact values) or exercise privacy rights. Public API only
 * (holder-api.ts); a request's id and token stay in this tab.
 */
import { h, onSubmit, state } from '../app/dom.js';
import { type CreatedDelisting, type Delisting, type Explanation, holder } from './holder-api.js';

const view = document.getElementById('view') as HTMLElement;

function show(...nodes: Array<Node | null>): void {
  view.replaceChildren(h('div', { class: 'holder' }, ...nodes));
}

const when = (iso: string | null): string => (iso ? new Date(iso).toUTCString().replace(' GMT', ' UTC') : '—');

function panel(title: string, ...children: Array<Node | string | null>): HTMLElement {
  return h('section', { class: 'panel', 'aria-label': title }, h('h2', {}, title), ...children.filter((c): c is Node | string => c !== null));
}

function field(name: string, label: string, control: 'input' | 'textarea', attrs: Record<string, string> = {}): { label: HTMLElement; input: HTMLInputElement | HTMLTextAreaElement } {
  const id = `f-${name}-${Math.random().toString(36).slice(2, 8)}`;
  const input = h(control, { id, name, ...attrs }) as HTMLInputElement | HTMLTextAreaElement;
  return { label: h('label', { for: id }, label, input), input };
}

// ---------------------------------------------------------------- search

function search(message = ''): void {
  const address = field('ip', 'IPv4 or IPv6 address', 'input', { required: '', inputmode: 'text', autocomplete: 'off', placeholder: '198.51.100.23' });
  const status = h('p', { class: 'state', role: 'alert' }, message);
  const form = h('form', { class: 'search', 'data-form': 'check', role: 'search' }, address.label, h('button', { type: 'submit' }, 'Check')) as HTMLFormElement;
  onSubmit(
    form,
    async () => {
      const value = address.input.value.trim();
      if (!value) throw new Error('Enter an address');
      location.assign(`/ip/${encodeURIComponent(value)}`);
    },
    status,
  );
  show(
    h('h1', {}, 'Is this IP address listed?'),
    panel(
      'Check an address',
      h('p', { class: 'hint' }, 'Quorum lists addresses that many independent members saw attacking their servers. If your address is listed by mistake, you can ask for a review here.'),
      form,
      status,
    ),
  );
  address.input.focus();
}

// ---------------------------------------------------------------- one address

function verdict(e: Explanation): HTMLElement {
  const facts: Array<[string, string]> = e.listed
    ? [
        ['Why', (e.behaviours ?? e.scenario_classes).join(', ') || 'attack traffic'],
        ['Reported by', `${e.reporters} independent reporters`],
        ['Seen by Quorum sensors', e.seen_by_sensors ? 'yes' : 'no'],
        ['First seen', when(e.first_seen)],
        ['Last seen', when(e.last_seen)],
        ['Listed until', `${when(e.listed_until)} (unless seen attacking again)`],
      ]
    : [
        ['Reports in the last days', `${e.reporters} reporters`],
        ['Last seen', when(e.last_seen)],
      ];
  const list = h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  const missing = !e.listed && e.missing && e.missing.length > 0 ? h('p', { class: 'hint', 'data-missing': '' }, `Not listed: ${e.missing.join('; ')}.`) : null;
  return panel(
    'Status',
    h('p', { class: `verdict ${e.listed ? 'listed' : 'clear'}`, 'data-verdict': e.listed ? 'listed' : 'clear' }, e.listed ? `${e.ip} is listed` : `${e.ip} is not listed`),
    list,
    missing,
  );
}

function copyable(text: string, label: string): HTMLElement {
  return h('pre', { class: 'copy', 'aria-label': label, tabindex: '0' }, text);
}

function delistingStatus(d: Delisting): HTMLElement {
  const words: Record<string, string> = {
    pending_proof: 'Waiting for your proof of control.',
    awaiting_review: 'Waiting for an operator to review your reasons. The listing stays published until then.',
    verified: 'Control shown. The listing will be suspended within minutes and reviewed by an operator.',
    suppressed: `Suspended until ${when(d.suppressed_until)} while an operator reviews it.`,
    upheld: 'Review done: the listing was removed, and the address is protected from relisting for 30 days.',
    rejected: 'Review done: the listing stays. The operator found the reports consistent.',
    expired: 'Closed without review within 30 days.',
  };
  return h('p', { class: 'state ok', 'data-delisting-status': d.status, role: 'status' }, words[d.status] ?? d.status);
}

function delistingSteps(created: CreatedDelisting): HTMLElement {
  const status = h('p', { class: 'state', role: 'alert' });
  const current = h('div', {}, delistingStatus(created));
  const refresh = (d: Delisting): void => current.replaceChildren(delistingStatus(d));

  const verify = h('button', { type: 'button', 'data-action': 'verify' }, 'I serve the file: check it now') as HTMLButtonElement;
  verify.addEventListener('click', () => {
    status.textContent = '';
    verify.disabled = true;
    holder.verifyDelisting(created.id, created.token).then(refresh, (e: Error) => (status.textContent = e.message)).finally(() => (verify.disabled = false));
  });

  const reason = field('reason', 'Why the listing is wrong, and why you cannot show control', 'textarea', { required: '', minlength: '10', maxlength: '2000' });
  const contact = field('contact', 'Email to answer you (optional, deleted after the decision)', 'input', { type: 'email', maxlength: '254', autocomplete: 'email' });
  const reviewForm = h('form', { class: 'stack', 'data-form': 'review-request' }, reason.label, contact.label, h('button', { type: 'submit' }, 'Ask for a review')) as HTMLFormElement;
  onSubmit(reviewForm, async () => refresh(await holder.askReview(created.id, created.token, reason.input.value, contact.input.value || undefined)), status);

  const again = h('button', { type: 'button', class: 'link', 'data-action': 'refresh' }, 'Refresh the status') as HTMLButtonElement;
  again.addEventListener('click', () => {
    status.textContent = '';
    holder.delisting(created.id).then(refresh, (e: Error) => (status.textContent = e.message));
  });

  const file = created.proof.serve_file;
  return panel(
    'Show that you control this address',
    h('p', { class: 'hint' }, `Request ${created.id}. Keep this page open: the token below is shown only once. It is valid until ${when(created.proof.token_expires_at)}.`),
    current,
    again,
    h(
      'ol',
      { class: 'ways' },
      h(
        'li',
        {},
        h('strong', {}, 'Serve a file from the address. '),
        'Make one of these URLs answer exactly the text below (plain text; port 80, or 443 with any certificate):',
        ...file.urls.map((u) => copyable(u, 'Proof URL')),
        copyable(file.content, 'File content'),
        verify,
      ),
      h(
        'li',
        {},
        h('strong', {}, 'From a Quorum agent on that address. '),
        'If a server using this address runs the Quorum agent, run there:',
        copyable(`curl -H "Authorization: Bearer $(quorum-agent token)" -H 'content-type: application/json' -d '{"token":"${created.token}"}' ${location.origin}${created.proof.from_agent.url}`, 'Agent command'),
      ),
      h(
        'li',
        {},
        h('strong', {}, 'If neither is possible, ask a person. '),
        'Behind carrier NAT, on a mobile network or a shared office connection, you cannot serve a file from the address. Tell us why the listing is wrong; an operator decides.',
        reviewForm,
      ),
    ),
    status,
  );
}

function delistingPanel(ip: string): HTMLElement {
  const reason = field('reason', 'Why do you think the listing is wrong? (optional)', 'textarea', { maxlength: '2000' });
  const contact = field('contact', 'Email to answer you (optional, deleted after the decision)', 'input', { type: 'email', maxlength: '254', autocomplete: 'email' });
  const status = h('p', { class: 'state', role: 'alert' });
  const form = h('form', { class: 'stack', 'data-form': 'delisting' }, reason.label, contact.label, h('button', { type: 'submit' }, 'Request delisting')) as HTMLFormElement;
  const box = panel('Request a delisting', h('p', { class: 'hint' }, 'If this is your address and the listing is wrong, ask for a review. You will then show that you control the address, or explain why you cannot.'), form, status);
  onSubmit(
    form,
    async () => {
      const created = await holder.createDelisting(ip, reason.input.value || undefined, contact.input.value || undefined);
      box.replaceWith(delistingSteps(created));
    },
    status,
  );
  return box;
}

function privacyPanel(ip: string): HTMLElement {
  const status = h('p', { class: 'state', role: 'alert' });
  const out = h('div', {});
  const kind = h('select', { id: 'privacy-kind', name: 'kind' }, h('option', { value: 'access' }, 'A copy of the data held about this address'), h('option', { value: 'erasure' }, 'Erasure of that data'), h('option', { value: 'objection' }, 'Objection to its processing')) as HTMLSelectElement;
  const form = h('form', { class: 'stack', 'data-form': 'privacy' }, h('label', { for: 'privacy-kind' }, 'What do you ask for?', kind), h('button', { type: 'submit' }, 'Start the request')) as HTMLFormElement;
  onSubmit(
    form,
    async () => {
      const created = await holder.createPrivacy(ip, kind.value as 'access' | 'erasure' | 'objection');
      const check = h('button', { type: 'button', 'data-action': 'verify-privacy' }, 'I serve the file: check it now') as HTMLButtonElement;
      const result = h('div', {});
      check.addEventListener('click', () => {
        status.textContent = '';
        holder.verifyPrivacy(created.id, created.token).then(
          (answer) => result.replaceChildren(h('p', { class: 'state ok', role: 'status', 'data-privacy-status': answer.status }, `Request ${answer.status}.`), answer.access ? copyable(JSON.stringify(answer.access, null, 2), 'Your data') : ''),
          (e: Error) => (status.textContent = e.message),
        );
      });
      out.replaceChildren(
        h('p', { class: 'hint' }, `Request ${created.id}: serve exactly this text at the URL below (port 80, or 443 with any certificate), then check. The answer comes within one month at the latest; usually at once.`),
        copyable(created.proof_url, 'Proof URL'),
        copyable(created.token, 'File content'),
        check,
        result,
      );
    },
    status,
  );
  return panel('Your privacy rights', h('p', { class: 'hint' }, 'Quorum keeps reports about addresses for a limited time. The holder of an address may get a copy, ask for erasure, or object.'), form, out, status);
}

async function address(ip: string): Promise<void> {
  show(h('h1', {}, ip), state('loading', 'Loading…'));
  try {
    const explanation = await holder.explain(ip);
    document.title = `Quorum: ${explanation.ip}`;
    show(h('h1', {}, explanation.ip), verdict(explanation), explanation.listed ? delistingPanel(explanation.ip) : null, privacyPanel(explanation.ip), h('p', {}, h('a', { href: '/check' }, 'Check another address')));
  } catch (error) {
    search((error as Error).message);
  }
}

function route(): void {
  const match = /^\/ip\/(.+)$/.exec(location.pathname);
  if (match) void address(decodeURIComponent(match[1]));
  else search();
}

route();
