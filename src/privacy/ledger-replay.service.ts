import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../infra/clock/clock.js';
import { AgentsLifecycle } from '../agents/agents.erasure.js';
import { ConsensusLifecycle } from '../consensus/consensus.erasure.js';
import { DataLifecycles } from './data-lifecycles.js';
import { ErasureLedgerService } from './erasure-ledger.service.js';
import { IpDataService } from './ip-data.service.js';
import { OrganizationErasureService } from './organization-erasure.service.js';
import { ipAddressSubject, ipSubject, organizationSubject } from './subject-hash.js';

const DAY_MS = 86_400_000;

export interface ReplayReport {
  entries: number;
  organizations: number;
  ipKeys: number;
  ipv6Addresses: number;
  markers: number;
}

/**
 * After a restore (GDPR R13): every erasure in the ledger is applied again to the restored database,
 * matching subjects by their keyed hash (the ledger holds no identifier). Organisations go through
 * the same erasure as the API's; IPs through the same store-by-store deletion; protection markers
 * that had not expired are set again. Running it twice changes nothing more.
 */
@Injectable()
export class LedgerReplayService {
  private readonly logger = new Logger('LedgerReplay');

  constructor(
    private readonly ledger: ErasureLedgerService,
    private readonly agents: AgentsLifecycle,
    private readonly lifecycles: DataLifecycles,
    private readonly markers: ConsensusLifecycle,
    private readonly organizations: OrganizationErasureService,
    private readonly ipData: IpDataService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async replay(): Promise<ReplayReport> {
    const secret = this.config.privacy.pseudonymSecret;
    const entries = await this.ledger.entries();
    const report: ReplayReport = { entries: entries.length, organizations: 0, ipKeys: 0, ipv6Addresses: 0, markers: 0 };
    const want = (kind: string) => new Map(entries.filter((e) => e.kind === kind).map((e) => [e.subject, e]));
    const orgs = want('organization');
    const ips = want('ip');
    const addresses = want('ip_address');
    const now = this.clock.now();

    for (const id of await this.agents.organizationIds()) {
      if (!orgs.has(organizationSubject(secret, id))) continue;
      await this.organizations.erase(id, 'erasure-ledger-replay');
      report.organizations++;
    }
    // Organisations the restore brought back half-erased (erased_at set) are finished too.
    await this.organizations.purgeLeftovers();

    // Candidates: every IPv4 key and IPv6 address any domain holds (IPv6 /64 keys are matched through their addresses).
    const keys = new Set<string>();
    const v6 = new Map<string, { ip: string; key: string }>();
    for (const lifecycle of this.lifecycles.all()) {
      const held = await lifecycle.heldIps();
      for (const k of held.keys) keys.add(k);
      for (const a of held.addresses) v6.set(a.ip, a);
    }
    for (const key of keys) {
      if (!ips.has(ipSubject(secret, key))) continue;
      await this.ipData.erase(key, key, now, null);
      report.ipKeys++;
    }
    for (const { ip, key } of v6.values()) {
      if (!addresses.has(ipAddressSubject(secret, ip))) continue;
      await this.ipData.erase(key, ip, now, null);
      report.ipv6Addresses++;
    }
    // Markers (keyed hashes already): set again unless their 30 days have passed.
    for (const entry of ips.values()) {
      const expiresAt = new Date(entry.erasedAt.getTime() + this.config.privacy.protectionDays * DAY_MS);
      if (expiresAt <= now) continue;
      await this.markers.protect(entry.subject, entry.erasedAt, expiresAt);
      report.markers++;
    }
    this.logger.log(report, 'erasure ledger replayed');
    return report;
  }
}
