import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { reporterBucket } from '../common/reporter-bucket.js';
import { ipKey, parseIp } from '../common/ip/ip-address.js';
import { Clock } from '../infra/clock/clock.js';
import { ConsensusRepository } from './consensus.repository.js';
import type { ExplainDto } from './dto/delisting.dto.js';
import { behavioursOf } from '../common/scenarios/behaviours.js';
import { missingEvidence } from './scoring/missing.js';
import { resolveParams, type ConsensusParams } from './scoring/params.js';

/** "Is my IP listed, and why?" — public answers never carry reporter identities. */
@Injectable()
export class ExplainService {
  private readonly params: ConsensusParams;

  constructor(
    private readonly repository: ConsensusRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.params = resolveParams(config.consensus.params);
  }

  /** Owners whose reports of `key` do not count yet (age gate), as a count. */
  private probationOwners(key: string): Promise<number> {
    const now = this.clock.nowMs();
    return this.repository.probationOwners(key, new Date(now - this.params.voteMaxAgeMs), new Date(now - this.params.ageGateMinMs));
  }

  async explain(rawIp: string, operator: boolean): Promise<ExplainDto> {
    const ip = parseIp(rawIp);
    if (!ip) throw new DomainError('invalid_ip', 'Not an IPv4 or IPv6 address');
    const key = ipKey(ip);
    const score = await this.repository.ipScore(key);
    const answer: ExplainDto = {
      ip: ip.text,
      listed: score?.listed ?? false,
      listed_until: score?.listedUntil?.toISOString() ?? null,
      reason: score?.reason ?? null,
      reporters: reporterBucket(score?.reporters ?? 0),
      scenario_classes: score?.scenarios ?? [],
      behaviours: [...behavioursOf(score?.scenarios ?? [])],
      first_seen: score?.firstSeen.toISOString() ?? null,
      last_seen: score?.lastSeen.toISOString() ?? null,
      seen_by_sensors: score?.honeypot ?? false,
      missing: null,
    };
    if (!answer.listed) {
      answer.missing = missingEvidence(this.params, {
        S: score?.score ?? 0,
        V: score?.reporters ?? 0,
        E: score?.established ?? 0,
        dAs: score?.asns ?? 0,
        honeypot: score?.honeypot ?? false,
        probation: await this.probationOwners(key),
      });
    }
    if (!operator) return answer;
    const explanation = await this.repository.latestExplanation(key);
    return { ...answer, score: score?.score ?? 0, asns: score?.asns ?? 0, established: score?.established ?? 0, voters: explanation?.voters ?? [] };
  }
}
