import type { WindowKind } from './quota-windows.js';

/** One reservation round trip: take up to `want` units of `limit` in an organisation's window. */
export interface LeaseRequest {
  org: string;
  kind: WindowKind;
  windowId: number;
  want: number;
  limit: number;
  /** when the shared counter may be dropped */
  expireAtMs: number;
}

export interface LeaseGrant {
  /** units granted (0 .. want); less than `want` means the window is now full */
  granted: number;
  /** the shared counter after this grant: units granted to all replicas in the window */
  total: number;
}

/** The shared counters (Redis in production). Grants never push a counter past its limit. */
export interface LeaseStore {
  reserve(request: LeaseRequest): Promise<LeaseGrant>;
  /** Gives back units that were granted but will not be used. */
  release(org: string, kind: WindowKind, windowId: number, units: number): Promise<void>;
}

/** How long a full window is trusted to stay full before asking the store again (units may be given back). */
export const EXHAUSTED_RECHECK_MS = 1_000;

/** This replica's share of one organisation's window. */
export class Lease {
  windowId = -1;
  resetMs = 0;
  granted = 0;
  used = 0;
  /** shared counter as of our last grant */
  total = 0;
  exhaustedAtMs = -1;
  pending: Promise<void> | null = null;
  /** units wanted by requests waiting for a refill */
  demand = 0;
  lastUseMs = 0;
  /** a grant made ahead for the next window (burst window only) */
  nextId = -1;
  nextGranted = 0;
  nextTotal = 0;
  nextPending = false;

  constructor(readonly kind: WindowKind) {}

  get available(): number {
    return this.granted - this.used;
  }

  exhausted(nowMs: number): boolean {
    return this.exhaustedAtMs >= 0 && nowMs - this.exhaustedAtMs < EXHAUSTED_RECHECK_MS;
  }

  /** Starts window `id`, adopting a grant made ahead for it. */
  roll(id: number, resetMs: number): void {
    const ahead = this.nextId === id;
    this.granted = ahead ? this.nextGranted : 0;
    this.total = ahead ? this.nextTotal : 0;
    this.nextId = -1;
    this.nextGranted = 0;
    this.nextTotal = 0;
    this.used = 0;
    this.exhaustedAtMs = -1;
    this.windowId = id;
    this.resetMs = resetMs;
  }

  /** Units the whole organisation may still use in this window, as far as this replica knows. */
  remaining(limit: number): number {
    if (this.total === 0 && this.granted === 0) return Math.max(0, limit - this.used);
    return Math.max(0, Math.min(limit, limit - (this.total - this.available)));
  }
}

export class OrgLeases {
  readonly second = new Lease('second');
  readonly day = new Lease('day');
  readonly month = new Lease('month');
  lastUseMs = 0;

  get(kind: WindowKind): Lease {
    return kind === 'second' ? this.second : kind === 'day' ? this.day : this.month;
  }
}
