import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import { type DayPartition, partitionDay } from './signal-partitions.js';

@Injectable()
export class SignalPartitionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Idempotent: creates each day partition that does not exist yet. */
  async ensure(partitions: DayPartition[]): Promise<string[]> {
    const existing = new Set(await this.list());
    const created: string[] = [];
    for (const p of partitions) {
      if (existing.has(p.name)) continue;
      await this.prisma.$executeRawUnsafe(
        `CREATE TABLE IF NOT EXISTS "${p.name}" PARTITION OF "signal" FOR VALUES FROM ('${p.from} 00:00:00+00') TO ('${p.to} 00:00:00+00')`,
      );
      created.push(p.name);
    }
    return created;
  }

  async list(): Promise<string[]> {
    const rows = await this.prisma.db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
       WHERE p.relname = 'signal'`,
    );
    return rows.map((r) => r.name).filter((n) => partitionDay(n) !== null).sort();
  }

  /** Drops whole day partitions (retention). */
  async drop(names: string[]): Promise<void> {
    for (const name of names) {
      if (partitionDay(name) === null) throw new Error(`refusing to drop ${name}`);
      await this.prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS "${name}"`);
    }
  }
}
