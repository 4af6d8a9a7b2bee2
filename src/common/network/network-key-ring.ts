const DAY_MS = 86_400_000;

/**
 * Rotation of the network pseudonym key (GDPR R6): a new key becomes current every `rotateMs`; the
 * previous one stays valid for `overlapMs` more (two keys during the overlap), then its secret is
 * destroyed. The next key is created `aheadMs` before it becomes current, so every process has loaded
 * it (keys are re-read every few minutes) when derivations switch to it.
 */
export const NETWORK_KEY_ROTATION = Object.freeze({
  rotateMs: 90 * DAY_MS,
  overlapMs: 30 * DAY_MS,
  aheadMs: DAY_MS,
});

export interface NetworkKey {
  id: number;
  secret: Buffer;
  validFrom: Date;
  retireAt: Date;
}

/** The keys one process knows; which one derives, and which ones match, at a given time. */
export class NetworkKeyRing {
  constructor(private readonly keys: readonly NetworkKey[]) {}

  get size(): number {
    return this.keys.length;
  }

  /** Keys valid at `now`, newest first (the first derives new pseudonyms). */
  valid(now: Date): NetworkKey[] {
    return this.keys.filter((k) => k.validFrom <= now && now < k.retireAt).sort((a, b) => b.validFrom.getTime() - a.validFrom.getTime());
  }

  current(now: Date): NetworkKey | null {
    return this.valid(now)[0] ?? null;
  }
}

export type RotationStep = { kind: 'create'; id: number; validFrom: Date; retireAt: Date } | { kind: 'none' };

/**
 * What rotation must do at `now` given the stored keys (secrets destroyed or not): create the first
 * key, or the next one once the newest is within `aheadMs` of its successor's start.
 */
export function rotationStep(keys: ReadonlyArray<{ id: number; validFrom: Date }>, now: Date, rules = NETWORK_KEY_ROTATION): RotationStep {
  const lifetime = rules.rotateMs + rules.overlapMs;
  if (keys.length === 0) return { kind: 'create', id: 1, validFrom: now, retireAt: new Date(now.getTime() + lifetime) };
  const newest = keys.reduce((a, b) => (a.validFrom > b.validFrom ? a : b));
  let nextFrom = newest.validFrom.getTime() + rules.rotateMs;
  // After a long stop, the successor starts now rather than in the past.
  if (nextFrom + rules.rotateMs <= now.getTime()) nextFrom = now.getTime();
  if (now.getTime() < nextFrom - rules.aheadMs) return { kind: 'none' };
  return { kind: 'create', id: Math.max(...keys.map((k) => k.id)) + 1, validFrom: new Date(nextFrom), retireAt: new Date(nextFrom + lifetime) };
}
