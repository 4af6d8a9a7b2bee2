import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { reporterBucket } from '../common/reporter-bucket.js';
import { ipKey, parseIp } from '../common/ip/ip-address.js';
import { ConsensusRepository } from './consensus.repository.js';
import type { ExplainDto } from './dto/delisting.dto.js';

/** "Is my IP listed, and why?" — public answers never carry reporter identities. */
@Injectable()
export class ExplainService {
  constructor(private readonly repository: ConsensusRepository) {}

  async explain(rawIp: string, operator: boolean): Promise<ExplainDto> {
    const ip = parseIp(rawIp);
    if (!ip) throw new DomainError(400, 'invalid_ip', 'Not an IPv4 or IPv6 address');
    const key = ipKey(ip);
    const score = await this.repository.ipScore(key);
    const answer: ExplainDto = {
      ip: ip.text,
      listed: score?.listed ?? false,
      listed_until: score?.listedUntil?.toISOString() ?? null,
      reason: score?.reason ?? null,
      reporters: reporterBucket(score?.reporters ?? 0),
      scenario_classes: score?.scenarios ?? [],
      first_seen: score?.firstSeen.toISOString() ?? null,
      last_seen: score?.lastSeen.toISOString() ?? null,
      seen_by_sensors: score?.honeypot ?? false,
    };
    if (!operator) return answer;
    const explanation = await this.repository.latestExplanation(key);
    return { ...answer, score: score?.score ?? 0, asns: score?.asns ?? 0, established: score?.established ?? 0, voters: explanation?.voters ?? [] };
  }
}
