/** Sorting of the customers table (pure). */
export const CUSTOMER_SORTS = ['name', 'plan', 'status', 'usage', 'overage', 'last_invoice'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

export interface SortableCustomer {
  name: string;
  planId: string;
  status: string | null;
  usage: number;
  quota: number;
  lastInvoiceAt: Date | null;
}

export const overageOf = (c: Pick<SortableCustomer, 'usage' | 'quota'>): number => Math.max(0, c.usage - c.quota);
/** usage as a share of the quota (a zero quota with usage sorts as full) */
export const usageShare = (c: Pick<SortableCustomer, 'usage' | 'quota'>): number => (c.quota > 0 ? c.usage / c.quota : c.usage > 0 ? 1 : 0);

export function sortCustomers<T extends SortableCustomer>(rows: T[], sort: CustomerSort, descending: boolean): T[] {
  const key = (c: T): string | number => {
    switch (sort) {
      case 'plan':
        return c.planId;
      case 'status':
        return c.status ?? '';
      case 'usage':
        return usageShare(c);
      case 'overage':
        return overageOf(c);
      case 'last_invoice':
        return c.lastInvoiceAt?.getTime() ?? 0;
      default:
        return c.name.toLowerCase();
    }
  };
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === kb) return a.name.localeCompare(b.name);
    return (ka < kb ? -1 : 1) * sign;
  });
}
