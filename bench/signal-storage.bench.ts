// npm run bench:storage — bytes per stored signal, with every index (docs/scaling.md "Storage per signal"): stores signals through
// the ingest statement itself (SignalsRepository.insertBatch) into a database of its own, migrated from
// scratch, then prints pg_relation_size per relation divided by the signals stored.
// Settings: BENCH_SIGNALS (default 900000), BENCH_REPORTERS (20), BENCH_TARGETS (IPv4 pool, 200000),
// BENCH_BATCH_SIZE (100), BENCH_PARALLEL (batches in flight, 4), BENCH_DATABASE_URL (dropped and recreated;
// default postgresql://postgres@127.0.0.1:5432/quorum_storage_bench).
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { loadConfig } from '../src/config/app-config.js';
import { pseudonym } from '../src/common/crypto/pseudonym.js';
import { applyMigrations } from '../src/infra/prisma/migrate/migrate.js';
import { PrismaService } from '../src/infra/prisma/prisma.service.js';
import { TABLE_OWNERS } from '../src/infra/prisma/table-owners.js';
import { partitionsAround } from '../src/signals/signal-partitions.js';
import { SignalPartitionsRepository } from '../src/signals/signal-partitions.repository.js';
import { type BatchContext, SignalsRepository } from '../src/signals/signals.repository.js';
import { routableIpv4, signalRows } from './ingest/batches.js';
import { dropDatabase, ensureDatabase } from '../src/infra/prisma/migrate/database-admin.js';

function setting(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name}=${JSON.stringify(raw)} must be an integer from ${min} to ${max}`);
  return value;
}

const SIGNALS = setting('BENCH_SIGNALS', 900_000, 1_000, 50_000_000);
const REPORTERS = setting('BENCH_REPORTERS', 20, 1, 10_000);
const TARGETS = setting('BENCH_TARGETS', 200_000, 1, 10_000_000);
const BATCH = setting('BENCH_BATCH_SIZE', 100, 1, 1_000);
const PARALLEL = setting('BENCH_PARALLEL', 4, 1, 64);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/quorum_storage_bench';
// Per batch, not per signal: swept once the signed batch's replay window ends (minutes).
const PER_BATCH_TABLES = new Set(['signal_batch_nonce']);

/** A fresh, empty database (dropped first when it exists). */
async function recreate(url: string): Promise<void> {
  await dropDatabase(url);
  await ensureDatabase(url);
}

/** Bytes of each relation of the per-signal tables: a partitioned table's partitions and their indexes count for it. */
async function relationBytes(pool: pg.Pool, tables: readonly string[]): Promise<Array<{ relation: string; bytes: number }>> {
  const { rows } = await pool.query<{ relation: string; bytes: string }>(
    `WITH RECURSIVE tree AS (
       SELECT c.oid AS top, c.oid FROM pg_class c WHERE c.relname = ANY($1::text[]) AND c.relnamespace = current_schema()::regnamespace
       UNION ALL SELECT t.top, i.inhrelid FROM tree t JOIN pg_inherits i ON i.inhparent = t.oid
     ), heaps AS (
       SELECT top, oid, (SELECT relname FROM pg_class WHERE oid = top) || ' heap' AS relation,
         pg_relation_size(oid) + coalesce(pg_total_relation_size(NULLIF((SELECT reltoastrelid FROM pg_class WHERE oid = tree.oid), 0)), 0) AS bytes
       FROM tree
     ), indexes AS (
       SELECT coalesce((SELECT p.relname FROM pg_inherits pi JOIN pg_class p ON p.oid = pi.inhparent WHERE pi.inhrelid = x.indexrelid), ic.relname) AS relation,
         pg_relation_size(x.indexrelid) AS bytes
       FROM tree JOIN pg_index x ON x.indrelid = tree.oid JOIN pg_class ic ON ic.oid = x.indexrelid
     )
     SELECT relation, sum(bytes)::text AS bytes FROM (SELECT relation, bytes FROM heaps UNION ALL SELECT relation, bytes FROM indexes) r
     GROUP BY relation ORDER BY relation`,
    [tables],
  );
  return rows.map((r) => ({ relation: r.relation, bytes: Number(r.bytes) }));
}

async function main(): Promise<void> {
  await recreate(databaseUrl);
  await applyMigrations(databaseUrl);
  const config = loadConfig({ DATABASE_URL: databaseUrl, REDIS_URL: 'redis://127.0.0.1:6379/0', QUORUM_LOG_LEVEL: 'warn' });
  const prisma = new PrismaService(config);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    await new SignalPartitionsRepository(prisma).ensure(partitionsAround(new Date(), 0, 1));
    const repository = new SignalsRepository(prisma, config);
    const secret = 'bench:signal-storage';
    const contexts = Array.from({ length: REPORTERS }, (_, i): Omit<BatchContext, 'receivedAt' | 'nonce' | 'nonceExpiresAt'> => ({
      reporter: pseudonym(secret, `reporter:${i}`),
      owner: pseudonym(secret, `owner:${i}`),
      reporterAsn: 64_500 + i,
      reporterNet: pseudonym(secret, `net:${i}`),
      reporterCountry: 'DE',
      source: 'quorum',
      agentId: randomUUID(),
    }));
    const targets = Array.from({ length: TARGETS }, () => routableIpv4());
    let next = 0;
    let stored = 0;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      for (let batch = next++; batch * BATCH < SIGNALS; batch = next++) {
        const size = Math.min(BATCH, SIGNALS - batch * BATCH);
        const nowMs = Date.now();
        const startedAt = new Date(nowMs - 90_000).toISOString();
        const stoppedAt = new Date(nowMs - 2_000).toISOString();
        const signals = Array.from({ length: size }, () => ({ ip: targets[Math.floor(Math.random() * targets.length)], uuid: randomUUID(), startedAt, stoppedAt }));
        const context = contexts[batch % contexts.length];
        const result = await repository.insertBatch(
          { ...context, receivedAt: new Date(nowMs), nonce: randomUUID(), nonceExpiresAt: new Date(nowMs + 600_000) },
          signalRows(signals),
        );
        stored += result.inserted;
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, () => worker()));
    const seconds = (performance.now() - started) / 1000;
    const tables = Object.entries(TABLE_OWNERS).filter(([table, owner]) => owner === 'signals' && !PER_BATCH_TABLES.has(table)).map(([table]) => table);
    await pool.query(`VACUUM (ANALYZE) ${tables.map((t) => `"${t}"`).join(', ')}`);
    const { rows } = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM signal');
    const signals = Number(rows[0].n);
    if (signals !== stored) throw new Error(`stored ${stored} signals but the table holds ${signals}`);
    const relations = await relationBytes(pool, tables);
    const total = relations.reduce((sum, r) => sum + r.bytes, 0);
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out(`signal storage: ${signals} signals in ${seconds.toFixed(0)} s (${(signals / seconds).toFixed(0)}/s), ${REPORTERS} reporters, ${TARGETS} IPv4 targets, batches of ${BATCH}, ${PARALLEL} in flight; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    for (const r of relations) out(`  ${r.relation.padEnd(40)} ${(r.bytes / signals).toFixed(1).padStart(7)} B/signal  ${(r.bytes / 1_048_576).toFixed(1).padStart(8)} MB`);
    out(`  ${'total'.padEnd(40)} ${(total / signals).toFixed(1).padStart(7)} B/signal  (tables: ${tables.join(', ')})`);
  } finally {
    await pool.end();
    await prisma.onApplicationShutdown();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
