/** A change of the listed set, as consensus hands it to the blocklist. */
export interface ListingChange {
  ipKey: string;
  value: string;
  scope: 'ip' | 'range';
  scenarioClass: string;
  score: number;
  until: Date;
  kind: 'upsert' | 'remove';
}

/** Port implemented by the blocklist domain: publishes a new version from a run's changes. */
export interface ListingPublisher {
  publishChanges(changes: ListingChange[], now: Date): Promise<{ version: number } | null>;
}

export const LISTING_PUBLISHER = Symbol('LISTING_PUBLISHER');
