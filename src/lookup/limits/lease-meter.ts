import { type Lease, type LeaseStore, OrgLeases } from './lease.js';
import { counterGraceMs, WINDOW_KINDS, WindowClock, type WindowKind } from './quota-windows.js';

export interface MeterLimits {
  /** requests per second (a bulk request is one request) */
  second: number;
  /** lookups per UTC day */
  day: number;
  /** lookups per UTC month */
  month: number;
}

export interface RateState {
  limit: number;
  remaining: number;
  /** epoch second at which the window resets */
  resetSec: number;
}

/** The binding quota (day or month, whichever has fewer units left) and the burst window. */
export interface LimitWindows {
  /** the meter's clock when read (epoch seconds) */
  nowSec: number;
  quota: RateState & { window: 'day' | 'month' };
  burst: RateState;
}

/**
 * `windows`: both limits as they stand after the request was counted (or refused), for the headers,
 * so a caller never reads the meter a second time. A refusal's `rate` is the window that refused.
 */
export type MeterVerdict =
  | { ok: true; windows: LimitWindows }
  | { ok: false; code: 'rate_limited' | 'quota_exhausted'; rate: RateState; retryAfterSec: number; windows: LimitWindows };

/** When a shared window is within the last part of a second, the next second is reserved ahead. */
const PREFETCH_NEXT_SECOND_AFTER_MS = 800;
const MAX_WAIT_ROUNDS = 20;
const RANK: Record<WindowKind, number> = { second: 1, day: 2, month: 3 };

/**
 * Organisation limits counted across replicas without a store round trip per request. Each replica
 * leases units of a window from the shared counter in chunks (a quarter of the burst; a hundredth of a
 * quota, at most five seconds of burst) and spends them locally; it refills in the background when a
 * lease runs low, and only waits for the store when a lease is empty. The store never grants past a
 * limit, so the organisation never exceeds it: leased-but-unused units can only make a replica refuse
 * early (at most one chunk per replica and window; quota leases are given back when idle).
 * If the store fails, the replica keeps counting alone (each replica allows up to the limit).
 */
export class LeaseMeter {
  private readonly orgs = new Map<string, OrgLeases>();
  private readonly windows = new WindowClock();

  constructor(
    private readonly store: LeaseStore,
    private readonly now: () => number = Date.now,
    private readonly onStoreError: (error: unknown) => void = () => undefined,
  ) {}

  /** Counts one request of `lookups` units (0 for none); resolves synchronously unless a lease must be refilled. */
  consume(org: string, limits: MeterLimits, lookups: number): MeterVerdict | Promise<MeterVerdict> {
    const state = this.state(org);
    const now = this.now();
    this.roll(state, now);
    return this.take(org, state, limits, lookups, now) ?? this.waitAndTake(org, state, limits, lookups);
  }

  /** Both limits for the headers (src/lookup/limits/limit-headers.ts), without counting anything. */
  limitWindows(org: string, limits: MeterLimits): LimitWindows {
    const state = this.state(org);
    const now = this.now();
    this.roll(state, now);
    return this.windowsOf(state, limits, now);
  }

  private state(org: string): OrgLeases {
    let state = this.orgs.get(org);
    if (!state) {
      state = new OrgLeases();
      this.orgs.set(org, state);
    }
    return state;
  }

  private roll(state: OrgLeases, now: number): void {
    for (const kind of WINDOW_KINDS) {
      const lease = state.get(kind);
      if (now < lease.resetMs && lease.windowId >= 0) continue;
      const window = this.windows.at(kind, now);
      if (window.id !== lease.windowId) lease.roll(window.id, window.resetMs);
    }
  }

  private need(kind: WindowKind, lookups: number): number {
    return kind === 'second' ? 1 : lookups;
  }

  private take(org: string, state: OrgLeases, limits: MeterLimits, lookups: number, now: number): MeterVerdict | null {
    let blocked: WindowKind | null = null;
    let refill = false;
    for (const kind of WINDOW_KINDS) {
      const lease = state.get(kind);
      const need = this.need(kind, lookups);
      if (need === 0 || lease.available >= need) continue;
      if (need > limits[kind] || lease.exhausted(now)) {
        if (blocked === null || RANK[kind] > RANK[blocked]) blocked = kind;
      } else {
        refill = true;
      }
    }
    if (blocked !== null) return this.reject(state, blocked, limits, now);
    if (refill) return null;
    for (const kind of WINDOW_KINDS) {
      const lease = state.get(kind);
      lease.used += this.need(kind, lookups);
      lease.lastUseMs = now;
    }
    state.lastUseMs = now;
    this.prefetch(org, state, limits, now);
    return { ok: true, windows: this.windowsOf(state, limits, now) };
  }

  private async waitAndTake(org: string, state: OrgLeases, limits: MeterLimits, lookups: number): Promise<MeterVerdict> {
    // Every refill asks for what all current waiters need, so concurrent waiters settle in a round or
    // two; the bound only guards against a store that keeps granting nothing without saying so.
    for (let attempt = 0; attempt < MAX_WAIT_ROUNDS; attempt++) {
      const now = this.now();
      this.roll(state, now);
      const waiting: Lease[] = [];
      for (const kind of WINDOW_KINDS) {
        const lease = state.get(kind);
        const need = this.need(kind, lookups);
        if (need > 0 && lease.available < need && !lease.exhausted(now)) {
          lease.demand += need;
          waiting.push(lease);
        }
      }
      try {
        await Promise.all(waiting.map((lease) => this.refill(org, lease, limits, this.need(lease.kind, lookups), now)));
      } finally {
        for (const lease of waiting) lease.demand -= this.need(lease.kind, lookups);
      }
      const after = this.now();
      this.roll(state, after);
      const verdict = this.take(org, state, limits, lookups, after);
      if (verdict) return verdict;
    }
    return this.reject(state, 'second', limits, this.now());
  }

  private chunk(kind: WindowKind, limits: MeterLimits): number {
    if (kind === 'second') return Math.max(1, Math.ceil(limits.second / 4));
    const quota = limits[kind];
    return Math.max(1, Math.min(Math.ceil(quota / 100), limits.second * 5));
  }

  private refill(org: string, lease: Lease, limits: MeterLimits, need: number, now: number): Promise<void> {
    if (lease.pending) return lease.pending;
    const limit = limits[lease.kind];
    const windowId = lease.windowId;
    const expireAtMs = lease.resetMs + counterGraceMs(lease.kind);
    let want = 0;
    // Sized one microtask later, once every request of this tick has added its demand.
    const pending: Promise<void> = Promise.resolve()
      .then(() => {
        want = Math.min(limit, Math.max(need, lease.demand, this.chunk(lease.kind, limits)));
        return this.store.reserve({ org, kind: lease.kind, windowId, want, limit, expireAtMs });
      })
      .then((grant) => {
        if (lease.windowId !== windowId) return;
        lease.granted += grant.granted;
        lease.total = grant.total;
        if (grant.granted < want) lease.exhaustedAtMs = now;
      })
      .catch((error: unknown) => {
        this.onStoreError(error);
        if (lease.windowId !== windowId) return;
        // Degraded: count alone, up to the whole limit on this replica.
        const granted = Math.max(0, Math.min(want, limit - lease.granted));
        lease.granted += granted;
        lease.total = lease.granted;
        if (granted < want) lease.exhaustedAtMs = now;
      })
      .finally(() => {
        if (lease.pending === pending) lease.pending = null;
      });
    lease.pending = pending;
    return pending;
  }

  private prefetch(org: string, state: OrgLeases, limits: MeterLimits, now: number): void {
    for (const kind of WINDOW_KINDS) {
      const lease = state.get(kind);
      if (!lease.pending && !lease.exhausted(now) && lease.available * 2 < this.chunk(kind, limits)) void this.refill(org, lease, limits, 0, now);
    }
    const second = state.second;
    if (second.nextPending || second.nextId === second.windowId + 1 || now - (second.resetMs - 1000) < PREFETCH_NEXT_SECOND_AFTER_MS) return;
    const windowId = second.windowId + 1;
    const want = this.chunk('second', limits);
    second.nextPending = true;
    this.store
      .reserve({ org, kind: 'second', windowId, want, limit: limits.second, expireAtMs: second.resetMs + 1000 + counterGraceMs('second') })
      .then((grant) => {
        if (second.windowId < windowId) {
          second.nextId = windowId;
          second.nextGranted = grant.granted;
          second.nextTotal = grant.total;
        }
      })
      .catch((error: unknown) => this.onStoreError(error))
      .finally(() => {
        second.nextPending = false;
      });
  }

  /** The binding quota (day or month, whichever has fewer units left) and the burst window. */
  private windowsOf(state: OrgLeases, limits: MeterLimits, now: number): LimitWindows {
    const day = state.day.remaining(limits.day);
    const month = state.month.remaining(limits.month);
    const lease = month < day ? state.month : state.day;
    const second = state.second;
    return {
      nowSec: Math.floor(now / 1000),
      quota: { limit: limits[lease.kind], remaining: Math.min(day, month), resetSec: Math.ceil(lease.resetMs / 1000), window: lease.kind === 'month' ? 'month' : 'day' },
      burst: { limit: limits.second, remaining: second.remaining(limits.second), resetSec: Math.ceil(second.resetMs / 1000) },
    };
  }

  private reject(state: OrgLeases, kind: WindowKind, limits: MeterLimits, now: number): MeterVerdict {
    const lease = state.get(kind);
    return {
      ok: false,
      code: kind === 'second' ? 'rate_limited' : 'quota_exhausted',
      rate: { limit: limits[kind], remaining: 0, resetSec: Math.ceil(lease.resetMs / 1000) },
      retryAfterSec: Math.max(1, Math.ceil((lease.resetMs - now) / 1000)),
      windows: this.windowsOf(state, limits, now),
    };
  }

  /** Gives idle quota leases back to the store and forgets organisations idle for `forgetMs`. */
  async sweep(idleMs: number, forgetMs: number): Promise<void> {
    const now = this.now();
    const releases: Array<Promise<void>> = [];
    for (const [org, state] of this.orgs) {
      for (const lease of [state.day, state.month]) {
        if (lease.pending || lease.available <= 0 || now - lease.lastUseMs < idleMs) continue;
        const units = lease.available;
        lease.granted -= units;
        lease.total -= units;
        releases.push(this.store.release(org, lease.kind, lease.windowId, units).catch((error: unknown) => this.onStoreError(error)));
      }
      if (now - state.lastUseMs >= forgetMs && !state.day.pending && !state.month.pending && !state.second.pending) this.orgs.delete(org);
    }
    await Promise.all(releases);
  }

  /** Gives every unused quota lease back (shutdown). */
  releaseAll(): Promise<void> {
    return this.sweep(0, 0);
  }
}
