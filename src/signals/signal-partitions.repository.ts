import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import { type DayPartition, partitionDay } from './signal-partitions.js';

/** The start of a UTC day given as its ISO date (a partition bound). */
function utcMidnight(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/**
 * The day partitions of `signal`. A partition's name and bounds cannot be bind parameters: its DDL goes
 * through `db.ddl`, which takes only plain identifiers and instants (src/infra/prisma/ddl.ts).
 */
@Injectable()
export class SignalPartitionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Idempotent: creates each day partition that does not exist yet. */
  async ensure(partitions: DayPartition[]): Promise<string[]> {
    const existing = new Set(await this.list());
    const created: string[] = [];
    for (const p of partitions) {
      if (existing.has(p.name)) continue;
      await this.prisma.db.ddl`CREATE TABLE IF NOT EXISTS ${p.name} PARTITION OF "signal" FOR VALUES FROM (${utcMidnight(p.from)}) TO (${utcMidnight(p.to)})`;
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
      await this.prisma.db.ddl`DROP TABLE IF EXISTS ${name}`;
    }
  }
}
