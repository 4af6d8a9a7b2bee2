import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeForm, type FormObject, type FormValue } from './form.js';

type Json = Record<string, unknown>;

export interface FakePrice {
  id: string;
  unitAmount: number;
  interval?: 'month' | 'year';
  metered?: boolean;
}

export interface StripeEventJson extends Json {
  id: string;
  type: string;
  created: number;
  data: { object: Json };
}

class FakeStripeError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

const id = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`;
const text = (v: FormValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * A loopback stand-in for the parts of the Stripe API Quorum uses (customers, checkout and portal
 * sessions, subscriptions, meter events), with Stripe's object and error shapes and idempotency keys.
 * Tests drive the "customer side" (completing a checkout, failed payments, cancellations) through its
 * methods, which return the webhook events Stripe would send.
 */
export class FakeStripe {
  readonly customers = new Map<string, Json>();
  readonly sessions = new Map<string, Json>();
  readonly subscriptions = new Map<string, Json>();
  readonly meterEvents = new Map<string, Json>();
  readonly requests: Array<{ method: string; path: string }> = [];
  /** drop the connection of this many meter-event answers, after the request took effect (lost answers) */
  dropMeterEventAnswers = 0;
  /** Events of changes made through the API (subscription updates), for the test to deliver (takeEvents). */
  private readonly pendingEvents: StripeEventJson[] = [];
  /**
   * Hosted pages: with a deliverer, Checkout and billing portal URLs point at this server, which serves
   * a small page for each (pay / cancel, return), and events are handed to the deliverer as they happen,
   * as Stripe would send them to the webhook (browser tests). Without one, the URLs are Stripe-like
   * placeholders and tests deliver events themselves.
   */
  hosted: { deliver(events: StripeEventJson[]): Promise<void> } | null = null;
  private port = 0;
  private readonly portalReturns = new Map<string, string>();
  private readonly idempotent = new Map<string, { status: number; body: Json }>();
  private readonly prices = new Map<string, FakePrice>();
  private server: Server | null = null;
  private clockSeconds = Math.floor(Date.now() / 1000);

  constructor(
    readonly secretKey: string,
    prices: FakePrice[],
  ) {
    for (const price of prices) this.prices.set(price.id, price);
  }

  /** Listens on loopback, on `port` (0: any free port), and answers the port. */
  async start(port = 0): Promise<number> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Stripe's clock for created timestamps (tests move it to order events). */
  now(): number {
    return this.clockSeconds;
  }

  advance(seconds: number): number {
    this.clockSeconds += seconds;
    return this.clockSeconds;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname });
    if (url.pathname.startsWith('/hosted/')) return this.page(method, url, res);
    const send = (status: number, body: Json): void => {
      if (url.pathname === '/v1/billing/meter_events' && this.dropMeterEventAnswers > 0) {
        this.dropMeterEventAnswers--;
        res.destroy();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.headers.authorization !== `Bearer ${this.secretKey}`) {
        throw new FakeStripeError(401, 'invalid_request_error', 'Invalid API Key provided');
      }
      const params = method === 'GET' ? decodeForm(url.search.slice(1)) : decodeForm(Buffer.concat(chunks).toString('utf8'));
      const key = req.headers['idempotency-key'];
      const cacheKey = typeof key === 'string' && method === 'POST' ? `${url.pathname}|${key}` : null;
      const cached = cacheKey ? this.idempotent.get(cacheKey) : undefined;
      if (cached) return send(cached.status, cached.body);
      const body = this.route(method, url.pathname, params);
      if (cacheKey) this.idempotent.set(cacheKey, { status: 200, body });
      send(200, body);
    } catch (error) {
      const e = error instanceof FakeStripeError ? error : new FakeStripeError(500, 'api_error', (error as Error).message);
      send(e.status, { error: { type: e.type, message: e.message, ...(e.code ? { code: e.code } : {}), ...(e.param ? { param: e.param } : {}) } });
    }
  }

  private route(method: string, path: string, p: FormObject): Json {
    const parts = path.split('/').filter(Boolean);
    if (method === 'POST' && path === '/v1/customers') return this.createCustomer(p);
    if (method === 'GET' && parts[1] === 'customers' && parts[2]) return this.find(this.customers, parts[2], 'customer');
    if (method === 'POST' && path === '/v1/checkout/sessions') return this.createSession(p);
    if (method === 'GET' && path === '/v1/checkout/sessions') return this.listSessions(p);
    if (method === 'POST' && parts[1] === 'checkout' && parts[2] === 'sessions' && parts[4] === 'expire') return this.expireSession(parts[3]);
    if (method === 'POST' && path === '/v1/billing_portal/sessions') return this.createPortal(p);
    if (method === 'GET' && parts[1] === 'subscriptions' && parts[2]) return this.find(this.subscriptions, parts[2], 'subscription');
    if (method === 'POST' && parts[1] === 'subscriptions' && parts[2] && !parts[3]) return this.updateSubscriptionApi(parts[2], p);
    if (method === 'GET' && parts[1] === 'prices' && parts[2]) return this.priceObject(parts[2]);
    if (method === 'POST' && path === '/v1/billing/meter_events') return this.createMeterEvent(p);
    throw new FakeStripeError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`);
  }

  private priceObject(id: string): Json {
    const price = this.prices.get(id);
    if (!price) throw new FakeStripeError(404, 'invalid_request_error', `No such price: '${id}'`, 'resource_missing', 'id');
    return { id, object: 'price', active: true, unit_amount: price.unitAmount, currency: 'usd', recurring: { interval: price.interval ?? 'month', interval_count: 1, usage_type: price.metered ? 'metered' : 'licensed' } };
  }

  private find(map: Map<string, Json>, key: string, kind: string): Json {
    const found = map.get(key);
    if (!found) throw new FakeStripeError(404, 'invalid_request_error', `No such ${kind}: '${key}'`, 'resource_missing', 'id');
    return found;
  }

  private required(p: FormObject, name: string): string {
    const value = text(p[name]);
    if (!value) throw new FakeStripeError(400, 'invalid_request_error', `Missing required param: ${name}.`, 'parameter_missing', name);
    return value;
  }

  private createCustomer(p: FormObject): Json {
    const customer = { id: id('cus'), object: 'customer', created: this.now(), name: text(p.name) ?? null, email: text(p.email) ?? null, metadata: p.metadata ?? {}, livemode: false };
    this.customers.set(customer.id, customer);
    return customer;
  }

  private createSession(p: FormObject): Json {
    if (text(p.mode) !== 'subscription') throw new FakeStripeError(400, 'invalid_request_error', 'Only mode=subscription is supported by this fake.', 'parameter_invalid_string', 'mode');
    const customer = this.required(p, 'customer');
    this.find(this.customers, customer, 'customer');
    const lines = Array.isArray(p.line_items) ? (p.line_items as FormObject[]) : [];
    if (lines.length === 0) throw new FakeStripeError(400, 'invalid_request_error', 'Missing required param: line_items.', 'parameter_missing', 'line_items');
    for (const [i, line] of lines.entries()) {
      if (!this.prices.has(text(line.price) ?? '')) throw new FakeStripeError(400, 'invalid_request_error', `No such price: '${text(line.price) ?? ''}'`, 'resource_missing', `line_items[${i}][price]`);
    }
    const session: Json = {
      id: id('cs_test'),
      object: 'checkout.session',
      mode: 'subscription',
      status: 'open',
      customer,
      client_reference_id: text(p.client_reference_id) ?? null,
      metadata: p.metadata ?? {},
      success_url: this.required(p, 'success_url'),
      cancel_url: text(p.cancel_url) ?? null,
      subscription: null,
      url: '',
      created: this.now(),
      livemode: false,
      line_items_request: lines,
      subscription_metadata: (p.subscription_data as FormObject | undefined)?.metadata ?? {},
    };
    session.url = this.hosted ? `http://127.0.0.1:${this.port}/hosted/checkout/${session.id as string}` : `https://checkout.stripe.test/c/pay/${session.id as string}`;
    this.sessions.set(session.id as string, session);
    return session;
  }

  private listSessions(p: FormObject): Json {
    const customer = text(p.customer);
    const status = text(p.status);
    const data = [...this.sessions.values()].filter((s) => (!customer || s.customer === customer) && (!status || s.status === status)).reverse();
    return { object: 'list', url: '/v1/checkout/sessions', has_more: false, data };
  }

  private expireSession(sessionId: string): Json {
    const session = this.find(this.sessions, sessionId, 'checkout.session');
    if (session.status !== 'open') throw new FakeStripeError(400, 'invalid_request_error', `Only Checkout Sessions with a status of open can be expired.`, 'checkout_session_not_open');
    session.status = 'expired';
    return session;
  }

  private createPortal(p: FormObject): Json {
    const customer = this.required(p, 'customer');
    this.find(this.customers, customer, 'customer');
    const session = id('bps');
    const returnUrl = text(p.return_url) ?? null;
    if (returnUrl) this.portalReturns.set(session, returnUrl);
    const url = this.hosted ? `http://127.0.0.1:${this.port}/hosted/portal/${session}` : `https://billing.stripe.test/p/session/${session}`;
    return { id: session, object: 'billing_portal.session', customer, return_url: returnUrl, url, created: this.now(), livemode: false };
  }

  private createMeterEvent(p: FormObject): Json {
    const identifier = text(p.identifier) ?? id('mev');
    const payload = (p.payload ?? {}) as FormObject;
    const customer = text(payload.stripe_customer_id);
    const value = text(payload.value);
    if (!customer || !value || !/^\d+$/.test(value)) throw new FakeStripeError(400, 'invalid_request_error', 'payload needs stripe_customer_id and an integer value', 'parameter_invalid', 'payload');
    if (this.meterEvents.has(identifier)) {
      throw new FakeStripeError(400, 'invalid_request_error', `An event with identifier ${identifier} already exists.`, 'meter_event_duplicate_identifier', 'identifier');
    }
    const event = { object: 'billing.meter_event', event_name: this.required(p, 'event_name'), identifier, payload: { stripe_customer_id: customer, value }, timestamp: Number(text(p.timestamp) ?? this.now()), created: this.now(), livemode: false };
    this.meterEvents.set(identifier, event);
    return event;
  }

  /**
   * POST /v1/subscriptions/{id}: a plan change on the existing subscription (items[n][id] + items[n][price],
   * proration_behavior, metadata), as the SDK's subscriptions.update sends it. With `always_invoice` the
   * prorated difference for the rest of the period is invoiced at once (a downgrade's credit: an invoice of 0).
   */
  private updateSubscriptionApi(subscriptionId: string, p: FormObject): Json {
    const sub = this.find(this.subscriptions, subscriptionId, 'subscription');
    if (sub.status === 'canceled') throw new FakeStripeError(400, 'invalid_request_error', 'A canceled subscription can only update its cancellation_details and metadata.', 'resource_missing');
    const items = (sub.items as { data: Array<Json & { id: string; price: Json }> }).data;
    const changes = Array.isArray(p.items) ? (p.items as FormObject[]) : [];
    const behaviour = text(p.proration_behavior) ?? 'create_prorations';
    if (!['create_prorations', 'always_invoice', 'none'].includes(behaviour)) throw new FakeStripeError(400, 'invalid_request_error', `Invalid proration_behavior: ${behaviour}`, 'parameter_invalid_string', 'proration_behavior');
    let difference = 0;
    for (const [i, change] of changes.entries()) {
      const item = items.find((it) => it.id === text(change.id));
      if (!item) throw new FakeStripeError(400, 'invalid_request_error', `No such subscription item: '${text(change.id) ?? ''}'`, 'resource_missing', `items[${i}][id]`);
      const price = this.prices.get(text(change.price) ?? '');
      if (!price) throw new FakeStripeError(400, 'invalid_request_error', `No such price: '${text(change.price) ?? ''}'`, 'resource_missing', `items[${i}][price]`);
      const period = Number(item.current_period_end) - Number(item.current_period_start);
      const left = Math.max(0, Number(item.current_period_end) - this.now());
      difference += Math.round(((price.unitAmount - Number(item.price.unit_amount)) * left) / Math.max(1, period));
      item.price = { id: price.id, object: 'price', unit_amount: price.unitAmount, currency: 'usd', recurring: { interval: price.interval ?? 'month', interval_count: 1, usage_type: price.metered ? 'metered' : 'licensed' } };
    }
    if (p.metadata && typeof p.metadata === 'object') sub.metadata = { ...(sub.metadata as Json), ...(p.metadata as Json) };
    const events = [this.event('customer.subscription.updated', sub)];
    if (behaviour === 'always_invoice') events.push(this.invoiceFor(sub, Math.max(0, difference), 'invoice.paid'));
    this.emit(events);
    return sub;
  }

  /** Events caused by API calls: handed to the hosted deliverer, or kept for takeEvents(). */
  private emit(events: StripeEventJson[]): void {
    if (this.hosted) {
      const hosted = this.hosted;
      // after the answer, as Stripe's webhooks come after the API call returns
      setImmediate(() => void hosted.deliver(events).catch((error: Error) => process.stderr.write(`fake Stripe: delivery failed: ${error.message}\n`)));
    } else this.pendingEvents.push(...events);
  }

  /** The events of API-made changes since the last call, in order. */
  takeEvents(): StripeEventJson[] {
    return this.pendingEvents.splice(0);
  }

  /** The hosted Checkout and billing portal pages (hosted mode): plain HTML forms, no script. */
  private async page(method: string, url: URL, res: ServerResponse): Promise<void> {
    const [, , kind, sessionId, action] = url.pathname.split('/');
    const html = (status: number, title: string, body: string): void => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`);
    };
    const escape = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    try {
      if (kind === 'checkout') {
        const session = this.find(this.sessions, sessionId, 'checkout.session');
        if (method === 'GET') {
          const lines = (session.line_items_request as FormObject[]).map((l) => this.prices.get(text(l.price) ?? '')).filter((x): x is FakePrice => Boolean(x) && !x?.metered);
          const total = lines.reduce((sum, price) => sum + price.unitAmount, 0);
          return html(200, 'Fake Stripe Checkout', `<p data-amount="${total}">Subscribe: $${(total / 100).toFixed(2)} per month (${session.status as string})</p><form method="post" action="/hosted/checkout/${sessionId}/pay"><button type="submit" id="pay">Pay</button></form><form method="post" action="/hosted/checkout/${sessionId}/cancel"><button type="submit" id="cancel">Back</button></form>`);
        }
        if (action === 'pay') {
          const { events } = this.completeCheckout(sessionId);
          await this.hosted?.deliver(events);
          res.writeHead(303, { location: String(session.success_url) }).end();
          return;
        }
        res.writeHead(303, { location: String(session.cancel_url ?? session.success_url) }).end();
        return;
      }
      if (kind === 'portal') {
        const back = this.portalReturns.get(sessionId) ?? '/';
        return html(200, 'Fake Stripe billing portal', `<p>Cards and invoices of this customer.</p><a id="return" href="${escape(back)}">Return to Quorum</a>`);
      }
      html(404, 'Not found', '');
    } catch (error) {
      html(400, 'Fake Stripe error', `<p>${escape((error as Error).message)}</p>`);
    }
  }

  /** Sum of meter event values per customer (what Stripe would bill). */
  meteredTotal(customer: string): number {
    let total = 0;
    for (const event of this.meterEvents.values()) {
      const payload = event.payload as { stripe_customer_id: string; value: string };
      if (payload.stripe_customer_id === customer) total += Number(payload.value);
    }
    return total;
  }

  event(type: string, object: Json, created = this.now()): StripeEventJson {
    return { id: id('evt'), object: 'event', api_version: '2026-10-28.endive', created, data: { object: structuredClone(object) }, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type };
  }

  /** The customer pays: the session completes and a subscription starts. Returns Stripe's events. */
  completeCheckout(sessionId: string): { subscription: Json; events: StripeEventJson[] } {
    const session = this.find(this.sessions, sessionId, 'checkout.session');
    if (session.status !== 'open') throw new Error(`checkout session ${sessionId} is ${String(session.status)}, it cannot be paid`);
    session.status = 'complete';
    const start = this.now();
    const items = (session.line_items_request as FormObject[]).map((line) => {
      const price = this.prices.get(text(line.price) ?? '') as FakePrice;
      return {
        id: id('si'),
        object: 'subscription_item',
        quantity: price.metered ? undefined : Number(text(line.quantity) ?? 1),
        current_period_start: start,
        current_period_end: start + 30 * 86_400,
        price: { id: price.id, object: 'price', unit_amount: price.unitAmount, currency: 'usd', recurring: { interval: price.interval ?? 'month', interval_count: 1, usage_type: price.metered ? 'metered' : 'licensed' } },
      };
    });
    const subscription: Json = {
      id: id('sub'),
      object: 'subscription',
      customer: session.customer,
      status: 'active',
      cancel_at_period_end: false,
      canceled_at: null,
      created: start,
      start_date: start,
      metadata: session.subscription_metadata,
      items: { object: 'list', data: items },
      livemode: false,
    };
    this.subscriptions.set(subscription.id as string, subscription);
    Object.assign(session, { status: 'complete', subscription: subscription.id });
    const { line_items_request: _l, subscription_metadata: _m, ...publicSession } = session;
    return {
      subscription,
      events: [this.event('checkout.session.completed', publicSession, start), this.event('customer.subscription.created', subscription, start), this.invoiceEvent(subscription, 'invoice.paid', start)],
    };
  }

  /** Changes a subscription (status, price, cancel_at_period_end) and returns the `updated` event. */
  updateSubscription(subscriptionId: string, changes: { status?: string; priceId?: string; cancelAtPeriodEnd?: boolean }): StripeEventJson {
    const sub = this.find(this.subscriptions, subscriptionId, 'subscription');
    if (changes.status) sub.status = changes.status;
    if (changes.cancelAtPeriodEnd !== undefined) sub.cancel_at_period_end = changes.cancelAtPeriodEnd;
    if (changes.priceId) {
      const price = this.prices.get(changes.priceId);
      if (!price) throw new Error(`unknown price ${changes.priceId}`);
      const first = (sub.items as { data: Array<Json & { price: Json }> }).data[0];
      first.price = { ...first.price, id: price.id, unit_amount: price.unitAmount };
    }
    return this.event('customer.subscription.updated', sub);
  }

  cancelSubscription(subscriptionId: string): StripeEventJson {
    const sub = this.find(this.subscriptions, subscriptionId, 'subscription');
    Object.assign(sub, { status: 'canceled', canceled_at: this.now() });
    return this.event('customer.subscription.deleted', sub);
  }

  invoiceEvent(subscription: Json, type: 'invoice.paid' | 'invoice.payment_failed', created = this.now()): StripeEventJson {
    const items = (subscription.items as { data: Array<{ price: { unit_amount: number } ; quantity?: number }> }).data;
    return this.invoiceFor(subscription, items.reduce((sum, i) => sum + i.price.unit_amount * (i.quantity ?? 0), 0), type, created);
  }

  private invoiceFor(subscription: Json, amount: number, type: 'invoice.paid' | 'invoice.payment_failed', created = this.now()): StripeEventJson {
    const paid = type === 'invoice.paid';
    const invoice = {
      id: id('in'),
      object: 'invoice',
      customer: subscription.customer,
      status: paid ? 'paid' : 'open',
      amount_due: amount,
      amount_paid: paid ? amount : 0,
      currency: 'usd',
      created,
      parent: { type: 'subscription_details', subscription_details: { subscription: subscription.id } },
      livemode: false,
    };
    return this.event(type, invoice, created);
  }
}
