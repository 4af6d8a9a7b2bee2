import type { ListingChange } from '../blocklist/blocklist.types.js';

/** Port implemented by the blocklist domain: publishes a new version from a run's changes. */
export interface ListingPublisher {
  publishChanges(changes: ListingChange[], now: Date): Promise<{ version: number } | null>;
}

export const LISTING_PUBLISHER = Symbol('LISTING_PUBLISHER');
