import type { ViewSpec, ViewTier } from '../blocklist.types.js';

export interface TierSizes {
  communitySize: number;
  contributorSize: number;
  contributorWindowDays: number;
}

/** Who is asking, as far as the view is concerned. */
export type Audience = { kind: 'apiKey' } | { kind: 'agent'; lastSignalAt: Date | null };

/**
 * API-key holders get the full list; agents that pushed an accepted signal within the window get
 * the contributor view; every other agent the community view.
 */
export function tierFor(audience: Audience, nowMs: number, sizes: TierSizes): ViewTier {
  if (audience.kind === 'apiKey') return 'full';
  const last = audience.lastSignalAt?.getTime();
  const windowMs = sizes.contributorWindowDays * 86_400_000;
  return last !== undefined && nowMs - last <= windowMs ? 'contributor' : 'community';
}

export function viewSpecFor(tier: ViewTier, scenarios: readonly string[], sizes: TierSizes): ViewSpec {
  const limit = tier === 'full' ? Infinity : tier === 'contributor' ? sizes.contributorSize : sizes.communitySize;
  return { tier, limit, scenarios: [...new Set(scenarios)].sort() };
}
