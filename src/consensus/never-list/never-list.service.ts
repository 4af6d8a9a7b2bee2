import { readFile } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import { parseCidrOrIp } from '../../common/ip/cidr.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { Clock } from '../../infra/clock/clock.js';
import { ConsensusRepository } from '../consensus.repository.js';
import { parseRangeFile } from './range-file.parser.js';

export const NEVER_LIST_CATEGORIES = ['crawler', 'cdn', 'health-checker', 'resolver', 'own-infrastructure', 'research-scanner'] as const;

/** Operator-managed never-list categories, imported from providers' published range files. */
@Injectable()
export class NeverListService {
  constructor(
    private readonly repository: ConsensusRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Replaces all entries of `source` with the file's ranges (atomic). */
  async importFile(path: string, category: string, source: string, service?: string): Promise<{ added: number; removed: number; invalid: string[] }> {
    if (!(NEVER_LIST_CATEGORIES as readonly string[]).includes(category)) {
      throw DomainError.badRequest(`category must be one of ${NEVER_LIST_CATEGORIES.join(', ')}`);
    }
    const parsed = parseRangeFile(await readFile(path, 'utf8'), { service });
    if (parsed.cidrs.length === 0) throw DomainError.badRequest(`no ranges found in ${path}`);
    const result = await this.repository.replaceNeverListSource(source, category, parsed.cidrs, this.clock.now());
    await this.audit.record('cli', 'never-list.imported', `never-list:${source}`, { category, added: result.added, removed: result.removed });
    return { ...result, invalid: parsed.invalid };
  }

  async addCanary(cidr: string, note: string | null): Promise<void> {
    const parsed = parseCidrOrIp(cidr);
    if (!parsed) throw DomainError.badRequest('not a CIDR or address');
    await this.repository.addCanary(parsed.text, note);
    await this.audit.record('cli', 'canary.added', null, null);
  }
}
