/**
 * The customer portal (/app, docs/customers.md): sign-up, sign-in, email links, then the organisation's
 * overview, API keys, plan and billing, members, agents and account. Hash routes; data from the member
 * API only (api.ts).
 */
import { ApiError, portal } from './api.js';
import type { PortalMeDto } from './api-types.js';
import { h, input, onSubmit, state } from './dom.js';
import { account, agents, billing, billingReturn, type Ctx, keys, members, outbox, overview } from './pages.js';

const view = document.getElementById('view') as HTMLElement;
const top = document.getElementById('top') as HTMLElement;
let me: PortalMeDto | null = null;

function show(...nodes: Node[]): void {
  view.replaceChildren(...nodes);
}

/** The route and its query: `#/verify-email?token=…` gives ['verify-email'] and token. */
function current(): { parts: string[]; query: URLSearchParams } {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { parts: path.split('/').filter(Boolean), query: new URLSearchParams(query) };
}

function go(hash: string): void {
  if (location.hash === hash) void route();
  else location.hash = hash;
}

function box(title: string, ...children: Array<Node | null>): HTMLElement {
  return h('div', { class: 'login' }, h('h1', {}, title), ...children.filter((c): c is Node => c !== null));
}

const links = (...items: Array<[string, string]>): HTMLElement => h('p', { class: 'state' }, ...items.flatMap(([href, text], i) => [i ? ' · ' : '', h('a', { href }, text)]));

// ---------------------------------------------------------------- pages without a session

function signIn(message = '', email = ''): void {
  me = null;
  top.hidden = true;
  const mail = input('email', 'Email', { type: 'email', required: '', autocomplete: 'username', value: email });
  const password = input('password', 'Password', { type: 'password', required: '', autocomplete: 'current-password' });
  const code = input('totp_code', 'Two-factor code', { inputmode: 'numeric', pattern: '[0-9]{6}', autocomplete: 'one-time-code' });
  code.label.hidden = true;
  const status = h('p', { class: 'state', role: 'alert' }, message);
  const form = h('form', { class: 'login', 'data-form': 'login' }, h('h1', {}, 'Sign in to Quorum'), mail.label, password.label, code.label, h('button', { type: 'submit' }, 'Sign in'), status) as HTMLFormElement;
  form.append(links(['#/signup', 'Create an account'], ['#/reset-password', 'Forgot the password?']));
  onSubmit(
    form,
    async () => {
      try {
        await portal.login(mail.input.value, password.input.value, code.label.hidden ? undefined : code.input.value);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'totp_required') {
          code.label.hidden = false;
          code.input.required = true;
          code.input.focus();
          status.className = 'state';
          status.textContent = 'Enter the code of your authenticator app.';
          return;
        }
        if (error instanceof ApiError && error.code === 'email_not_verified') {
          status.className = 'state error';
          status.replaceChildren('Confirm your email address first. ', h('a', { href: `#/verify-email?email=${encodeURIComponent(mail.input.value)}` }, 'Send a new link'));
          return;
        }
        throw error;
      }
      me = null;
      go('#/overview');
    },
    status,
  );
  show(form);
}

function signUp(): void {
  top.hidden = true;
  const name = input('organization_name', 'Organisation', { required: '', maxlength: '120', autocomplete: 'organization' });
  const mail = input('email', 'Email', { type: 'email', required: '', autocomplete: 'email' });
  const password = input('password', 'Password (12 characters or more)', { type: 'password', required: '', minlength: '12', autocomplete: 'new-password' });
  const status = h('p', { class: 'state', role: 'alert' }, '');
  const form = h('form', { class: 'login', 'data-form': 'signup' }, h('h1', {}, 'Create a Quorum account'), name.label, mail.label, password.label, h('button', { type: 'submit' }, 'Create account'), status) as HTMLFormElement;
  form.append(links(['#/login', 'I have an account']));
  onSubmit(
    form,
    async () => {
      const result = await portal.signUp(name.input.value.trim(), mail.input.value.trim(), password.input.value);
      show(
        box(
          'Check your email',
          h('p', { 'data-signed-up': result.organization_id }, `We sent a confirmation link to ${result.member.email}. Open it to activate the account, then sign in.`),
          result.email_sent ? null : state('error', 'The message could not be sent: ask for a new link from the sign-in page.'),
          links(['#/login', 'Sign in']),
        ),
      );
    },
    status,
  );
  show(form);
}

async function verifyEmail(token: string | null, email: string | null): Promise<void> {
  top.hidden = true;
  if (token) {
    show(box('Confirming your address', state('loading', 'Confirming…')));
    try {
      const member = await portal.verifyEmail(token);
      show(box('Address confirmed', h('p', { class: 'ok', 'data-verified': member.email }, `${member.email} is confirmed. You can sign in.`), links([`#/login?email=${encodeURIComponent(member.email)}`, 'Sign in'])));
      return;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
    }
  }
  const mail = input('email', 'Email', { type: 'email', required: '', value: email ?? '' });
  const status = h('p', { class: 'state', role: 'alert' }, token ? 'This link is unknown, used or expired: ask for a new one.' : '');
  if (token) status.className = 'state error';
  const form = h('form', { class: 'login', 'data-form': 'resend' }, h('h1', {}, 'Confirm your address'), mail.label, h('button', { type: 'submit' }, 'Send a new link'), status) as HTMLFormElement;
  onSubmit(
    form,
    async () => {
      await portal.resendVerification(mail.input.value.trim());
      status.className = 'state ok';
      status.textContent = 'If this address has an unconfirmed account, a new link is on its way.';
    },
    status,
  );
  show(form);
}

function resetPassword(token: string | null): void {
  top.hidden = true;
  const status = h('p', { class: 'state', role: 'alert' }, '');
  if (!token) {
    const mail = input('email', 'Email', { type: 'email', required: '' });
    const form = h('form', { class: 'login', 'data-form': 'reset-request' }, h('h1', {}, 'Reset the password'), mail.label, h('button', { type: 'submit' }, 'Email me a link'), status) as HTMLFormElement;
    form.append(links(['#/login', 'Sign in']));
    onSubmit(
      form,
      async () => {
        await portal.requestReset(mail.input.value.trim());
        status.className = 'state ok';
        status.textContent = 'If an account has this address, a reset link is on its way (valid 1 hour).';
      },
      status,
    );
    return show(form);
  }
  const password = input('password', 'New password (12 characters or more)', { type: 'password', required: '', minlength: '12', autocomplete: 'new-password' });
  const form = h('form', { class: 'login', 'data-form': 'reset-confirm' }, h('h1', {}, 'Choose a new password'), password.label, h('button', { type: 'submit' }, 'Set password'), status) as HTMLFormElement;
  onSubmit(
    form,
    async () => {
      await portal.confirmReset(token, password.input.value);
      show(box('Password set', h('p', { class: 'ok', 'data-reset': 'done' }, 'Every session ended. Sign in with the new password.'), links(['#/login', 'Sign in'])));
    },
    status,
  );
  show(form);
}

function acceptInvitation(token: string | null): void {
  top.hidden = true;
  const status = h('p', { class: 'state', role: 'alert' }, token ? '' : 'This page needs the link of the invitation email.');
  const password = input('password', 'Choose a password (12 characters or more)', { type: 'password', required: '', minlength: '12', autocomplete: 'new-password' });
  const form = h('form', { class: 'login', 'data-form': 'accept' }, h('h1', {}, 'Join your team on Quorum'), password.label, h('button', { type: 'submit' }, 'Join'), status) as HTMLFormElement;
  onSubmit(
    form,
    async () => {
      const member = await portal.acceptInvitation(token ?? '', password.input.value);
      signIn(`Welcome: you joined as ${member.role}. Sign in.`, member.email);
    },
    status,
  );
  show(form);
}

// ---------------------------------------------------------------- signed-in pages

/** Bumped by every navigation: a page still loading for an earlier route must not draw over this one. */
let generation = 0;

function context(): Ctx {
  const mine = ++generation;
  return {
    get me(): PortalMeDto {
      if (!me) throw new ApiError(401, 'unauthorized', 'Not signed in');
      return me;
    },
    show: (...nodes: Node[]) => {
      if (mine === generation) show(...nodes);
    },
    async refresh() {
      me = await portal.me();
      if (mine === generation) header(me);
      return me;
    },
    signIn: (message?: string) => {
      if (mine === generation) signIn(message);
    },
  };
}

function header(who: PortalMeDto): void {
  top.hidden = false;
  (document.getElementById('who') as HTMLElement).textContent = `${who.email} (${who.role}) · ${who.organization.name}`;
  // the menu shows what the role may open (src/common/auth/authorization-table.ts); a page opened anyway
  // says 403: developers do not see billing, billing members neither keys nor agents
  (document.querySelector('[data-nav=agents]') as HTMLElement).hidden = who.organization.kind !== 'community' || who.role === 'billing';
  (document.querySelector('[data-nav=keys]') as HTMLElement).hidden = who.role === 'billing';
  (document.querySelector('[data-nav=billing]') as HTMLElement).hidden = who.role === 'developer';
}

const PUBLIC = new Set(['signup', 'login', 'verify-email', 'reset-password', 'accept-invitation', 'outbox']);

async function route(): Promise<void> {
  const { parts, query } = current();
  const page = parts[0] ?? 'overview';
  const ctx = context();
  try {
    if (page === 'signup') return signUp();
    if (page === 'login') return signIn('', query.get('email') ?? '');
    if (page === 'verify-email') return await verifyEmail(query.get('token'), query.get('email'));
    if (page === 'reset-password') return resetPassword(query.get('token'));
    if (page === 'accept-invitation') return acceptInvitation(query.get('token'));
    if (page === 'outbox') {
      top.hidden = me === null;
      return await outbox(ctx.show);
    }
    if (!me) {
      try {
        await ctx.refresh();
      } catch {
        return signIn();
      }
    }
    for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.getAttribute('data-nav') === page);
    if (page === 'keys') return await keys(ctx);
    if (page === 'billing' && parts[1] === 'success') return await billingReturn(ctx, 'success');
    if (page === 'billing' && parts[1] === 'cancelled') return await billingReturn(ctx, 'cancelled');
    if (page === 'billing') return await billing(ctx);
    if (page === 'members') return await members(ctx);
    if (page === 'agents') return await agents(ctx);
    if (page === 'account') return await account(ctx);
    return await overview(ctx);
  } catch (error) {
    if (!PUBLIC.has(page) && error instanceof ApiError && error.status === 401) return signIn('Your session ended: sign in again.');
    show(h('h1', {}, 'Something went wrong'), state('error', (error as Error).message));
  }
}

document.getElementById('logout')?.addEventListener('click', () => {
  portal.logout().finally(() => {
    me = null;
    location.hash = '#/login';
    signIn('Signed out.');
  });
});

// the dev banner: shown when this Quorum keeps email in a local outbox (no SMTP server)
portal.outbox().then(
  () => ((document.getElementById('dev-banner') as HTMLElement).hidden = false),
  () => undefined,
);

window.addEventListener('hashchange', () => void route());
void route();
