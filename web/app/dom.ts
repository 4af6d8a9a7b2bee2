/** Small DOM helpers of the portal (no framework). */
export function h(tag: string, attrs: Record<string, string> = {}, ...children: Array<Node | string | null | false>): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== false) node.append(c);
  return node;
}

export const state = (kind: 'loading' | 'empty' | 'error' | 'ok', text: string): HTMLElement => h('p', { class: `state ${kind}`, 'data-state': kind, ...(kind === 'error' ? { role: 'alert' } : {}) }, text);
export const card = (label: string, value: string, id: string): HTMLElement => h('div', { class: 'card', 'data-figure': id }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value));
export const day = (iso: string | null): string => (iso ? iso.slice(0, 10) : '—');
export const money = (cents: number, currency = 'usd'): string => `${(cents / 100).toLocaleString('en-US', { style: 'currency', currency: currency.toUpperCase() })}`;

export function table(headers: string[], rows: HTMLElement[], numeric: number[] = []): HTMLElement {
  const head = h('tr', {}, ...headers.map((x, i) => h('th', numeric.includes(i) ? { class: 'num' } : {}, x)));
  return h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, head), h('tbody', {}, ...rows)));
}

export function input(name: string, label: string, attrs: Record<string, string> = {}): { label: HTMLElement; input: HTMLInputElement } {
  const field = h('input', { name, ...attrs }) as HTMLInputElement;
  return { label: h('label', {}, label, field), input: field };
}

export function select(name: string, options: readonly string[], value: string, label?: string): { label: HTMLElement; input: HTMLSelectElement } {
  const field = h('select', { name, ...(label ? {} : { 'aria-label': name }) }, ...options.map((o) => h('option', o === value ? { value: o, selected: '' } : { value: o }, o))) as HTMLSelectElement;
  return { label: label ? h('label', {}, label, field) : field, input: field };
}

/** A button running an action; disabled while it runs, its error shown in `status`. */
export function action(text: string, run: () => Promise<void>, status: HTMLElement, attrs: Record<string, string> = {}): HTMLButtonElement {
  const button = h('button', { type: 'button', ...attrs }, text) as HTMLButtonElement;
  button.addEventListener('click', () => {
    button.disabled = true;
    status.textContent = '';
    run().then(
      () => (button.disabled = false),
      (error: Error) => {
        button.disabled = false;
        status.className = 'state error';
        status.setAttribute('data-state', 'error');
        status.textContent = error.message;
      },
    );
  });
  return button;
}

/** Form submission with the same handling as action(). */
export function onSubmit(form: HTMLFormElement, run: () => Promise<void>, status: HTMLElement): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = form.querySelector('button[type=submit]') as HTMLButtonElement | null;
    if (submit) submit.disabled = true;
    status.textContent = '';
    run().then(
      () => {
        if (submit) submit.disabled = false;
      },
      (error: Error) => {
        if (submit) submit.disabled = false;
        status.className = 'state error';
        status.setAttribute('data-state', 'error');
        status.textContent = error.message;
      },
    );
  });
}
