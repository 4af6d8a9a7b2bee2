import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** The blocklist's side of erasure and access (src/blocklist/blocklist.erasure.ts). */
@Injectable()
export class BlocklistErasureRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** R9: closed history rows and open rows whose `until` has passed (expired, not yet closed). */
  async eraseIp(ipKey: string, now: Date): Promise<number> {
    return this.prisma.db.execute('DELETE FROM blocklist_entry WHERE ip_key = $1 AND (removed_in IS NOT NULL OR until <= $2)', [ipKey, now]);
  }

  async oldest(): Promise<Date | null> {
    return (await this.prisma.db.query<{ d: Date | null }>('SELECT min(created_at) AS d FROM blocklist_version'))[0].d;
  }

  async heldKeys(): Promise<string[]> {
    const rows = await this.prisma.db.query<{ k: string }>("SELECT DISTINCT ip_key AS k FROM blocklist_entry WHERE ip_key NOT LIKE '%:%' AND ip_key NOT LIKE '%/%'");
    return rows.map((r) => r.k);
  }

  async held(ipKey: string, limit: number): Promise<{ openUntil: Date | null; copy: Array<{ value: string; scenarioClass: string; until: Date; open: boolean }> }> {
    const open = await this.prisma.db.query<{ until: Date }>('SELECT max(until) AS until FROM blocklist_entry WHERE ip_key = $1 AND removed_in IS NULL HAVING count(*) > 0', [ipKey]);
    const copy = await this.prisma.db.query<{ value: string; scenario_class: string; until: Date; open: boolean }>(
      'SELECT value, scenario_class, until, removed_in IS NULL AS open FROM blocklist_entry WHERE ip_key = $1 ORDER BY id DESC LIMIT $2',
      [ipKey, limit],
    );
    return { openUntil: open[0]?.until ?? null, copy: copy.map((r) => ({ value: r.value, scenarioClass: r.scenario_class, until: r.until, open: r.open })) };
  }
}
