import type { MeterLimits } from '../limits/lease-meter.js';

/** Optional answer fields a plan may see (the core verdict is always returned). */
export const PLAN_FIELDS = ['reporters', 'scenarios', 'history', 'network', 'range'] as const;
export type PlanField = (typeof PLAN_FIELDS)[number];

/** Endpoints a plan may call: single IP, bulk, CIDR range, the local mirror feed (src/lookup/mirror). */
export const PLAN_VIEWS = ['ip', 'bulk', 'range', 'mirror'] as const;
export type PlanView = (typeof PLAN_VIEWS)[number];

export const DEFAULT_PLAN_ID = 'free';
export const MAX_BULK_SIZE = 1_000;

export interface PlanRecord {
  id: string;
  name: string;
  burstPerSecond: number;
  dailyQuota: number;
  monthlyQuota: number;
  bulkSize: number;
  fields: PlanField[];
  views: PlanView[];
  /** List price per month in the smallest currency unit (null: on request), shown by GET /v1/plans when Stripe has no price. */
  priceCents: number | null;
  currency: string;
  updatedAt: Date;
}

export type PlanChanges = Partial<Omit<PlanRecord, 'id' | 'updatedAt'>>;

/** A plan as the hot path uses it: limits for the meter, sets for field and view checks. */
export interface PlanPolicy {
  readonly record: PlanRecord;
  readonly limits: MeterLimits;
  readonly fields: ReadonlySet<PlanField>;
  readonly views: ReadonlySet<PlanView>;
}

export function toPolicy(record: PlanRecord): PlanPolicy {
  return Object.freeze({
    record,
    limits: Object.freeze({ second: record.burstPerSecond, day: record.dailyQuota, month: record.monthlyQuota }),
    fields: new Set(record.fields),
    views: new Set(record.views),
  });
}

export function isPlanField(value: string): value is PlanField {
  return (PLAN_FIELDS as readonly string[]).includes(value);
}

export function isPlanView(value: string): value is PlanView {
  return (PLAN_VIEWS as readonly string[]).includes(value);
}

/** Problems with a plan after applying changes (empty when valid). */
export function planProblems(plan: Omit<PlanRecord, 'updatedAt'>): string[] {
  const problems: string[] = [];
  if (plan.dailyQuota > plan.monthlyQuota) problems.push('dailyQuota cannot exceed monthlyQuota');
  if (plan.bulkSize > MAX_BULK_SIZE) problems.push(`bulkSize cannot exceed ${MAX_BULK_SIZE}`);
  if (plan.views.includes('bulk') && plan.bulkSize < 1) problems.push('a plan with the bulk view needs a bulkSize of at least 1');
  return problems;
}
