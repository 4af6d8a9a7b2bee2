// Fixed UTC windows the lookup limits count in (pure): the second (burst), the day and the month.

export type WindowKind = 'second' | 'day' | 'month';
export const WINDOW_KINDS: readonly WindowKind[] = ['second', 'day', 'month'];

export interface QuotaWindow {
  kind: WindowKind;
  /** epoch second, epoch day, or year*12 + month */
  id: number;
  startMs: number;
  resetMs: number;
}

const DAY_MS = 86_400_000;

export function windowAt(kind: WindowKind, nowMs: number): QuotaWindow {
  if (kind === 'second') {
    const id = Math.floor(nowMs / 1000);
    return { kind, id, startMs: id * 1000, resetMs: (id + 1) * 1000 };
  }
  if (kind === 'day') {
    const id = Math.floor(nowMs / DAY_MS);
    return { kind, id, startMs: id * DAY_MS, resetMs: (id + 1) * DAY_MS };
  }
  const date = new Date(nowMs);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  return { kind, id: year * 12 + month, startMs: Date.UTC(year, month, 1), resetMs: Date.UTC(year, month + 1, 1) };
}

/** How long a window's Redis counter outlives the window (clock skew between replicas). */
export function counterGraceMs(kind: WindowKind): number {
  if (kind === 'second') return 5_000;
  return kind === 'day' ? 3_600_000 : DAY_MS;
}

/** Caches the current window per kind, so the hot path does not build a Date per request. */
export class WindowClock {
  private readonly current = new Map<WindowKind, QuotaWindow>();

  at(kind: WindowKind, nowMs: number): QuotaWindow {
    const known = this.current.get(kind);
    if (known && nowMs >= known.startMs && nowMs < known.resetMs) return known;
    const fresh = windowAt(kind, nowMs);
    this.current.set(kind, fresh);
    return fresh;
  }
}
