import { Injectable, Module } from '@nestjs/common';
import { ReporterStandingRepository } from './reporter-standing.repository.js';
import { DEFAULT_CONSENSUS_PARAMS } from './scoring/params.js';
import { trustLowerBound } from './scoring/trust.js';

/**
 * Trust bands shown to operators (docs/operators.md, "Community"): `quarantined`; `established` when the
 * trust lower bound reaches the engine's establishedWeight; `building` from 0.2; `low` below; `unscored`
 * for an agent the engine has not seen yet.
 */
export type TrustBand = 'quarantined' | 'established' | 'building' | 'low' | 'unscored';

export interface ReporterStanding {
  trust: number | null;
  band: TrustBand;
  quarantinedAt: Date | null;
  quarantineReason: string | null;
}

const UNSCORED: ReporterStanding = { trust: null, band: 'unscored', quarantinedAt: null, quarantineReason: null };

export function trustBand(trust: number, quarantined: boolean, p = DEFAULT_CONSENSUS_PARAMS): TrustBand {
  if (quarantined) return 'quarantined';
  if (trust >= p.establishedWeight) return 'established';
  return trust >= 0.2 ? 'building' : 'low';
}

/** Reporters' standing (trust, band, quarantine and its reason) by pseudonym, for the operator console. */
@Injectable()
export class ReporterStandings {
  constructor(private readonly repository: ReporterStandingRepository) {}

  async of(pseudonyms: readonly string[]): Promise<Map<string, ReporterStanding>> {
    const out = new Map<string, ReporterStanding>();
    for (const row of await this.repository.byPseudonyms(pseudonyms)) {
      const trust = trustLowerBound(row.alpha, row.beta, DEFAULT_CONSENSUS_PARAMS.trustZ);
      out.set(row.pseudonym, {
        trust: Math.round(trust * 1000) / 1000,
        band: trustBand(trust, row.quarantinedAt !== null),
        quarantinedAt: row.quarantinedAt,
        quarantineReason: row.quarantinedAt === null ? null : row.quarantineReason,
      });
    }
    for (const p of pseudonyms) if (!out.has(p)) out.set(p, UNSCORED);
    return out;
  }
}

@Module({ providers: [ReporterStandingRepository, ReporterStandings], exports: [ReporterStandings] })
export class ReporterStandingsModule {}
