import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../infra/prisma/prisma.service.js';

export interface SnapshotRow {
  id: bigint;
  generation: bigint;
  lastSignalId: bigint;
  runAt: Date;
  formatVersion: number;
  engineVersion: number;
  paramsHash: string;
  rawBytes: number;
  bytes: number;
  chunks: number;
  sha256: string | null;
  createdAt: Date;
}

interface SnapshotTuple {
  id: string;
  generation: string;
  last_signal_id: string;
  run_at: Date;
  format_version: number;
  engine_version: number;
  params_hash: string;
  raw_bytes: string;
  bytes: string;
  chunks: number;
  sha256: string | null;
  created_at: Date;
}

const COLUMNS = 'id, generation, last_signal_id, run_at, format_version, engine_version, params_hash, raw_bytes, bytes, chunks, sha256, created_at';

function toRow(t: SnapshotTuple): SnapshotRow {
  return {
    id: BigInt(t.id),
    generation: BigInt(t.generation),
    lastSignalId: BigInt(t.last_signal_id),
    runAt: t.run_at,
    formatVersion: t.format_version,
    engineVersion: t.engine_version,
    paramsHash: t.params_hash,
    rawBytes: Number(t.raw_bytes),
    bytes: Number(t.bytes),
    chunks: t.chunks,
    sha256: t.sha256,
    createdAt: t.created_at,
  };
}

/** Chunks read per query while restoring (at most this many MiB held before gunzip takes them). */
const READ_CHUNKS = 8;

/**
 * Consensus snapshots in PostgreSQL: a `consensus_snapshot` row per snapshot and its gzip bytes in
 * `consensus_snapshot_chunk` rows of 1 MiB. A snapshot is written chunk by chunk (each its own
 * statement, so no transaction holds hundreds of MiB) and becomes visible to readers only when
 * `complete` is set after the last one; a writer that died leaves an incomplete row, deleted later.
 */
@Injectable()
export class ConsensusSnapshotRepository {
  constructor(private readonly prisma: PrismaService) {}

  async begin(meta: { generation: bigint; lastSignalId: bigint; runAt: Date; formatVersion: number; engineVersion: number; paramsHash: string }): Promise<bigint> {
    const rows = await this.prisma.db.query<{ id: string }>(
      `INSERT INTO consensus_snapshot (generation, last_signal_id, run_at, format_version, engine_version, params_hash)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [meta.generation.toString(), meta.lastSignalId.toString(), meta.runAt, meta.formatVersion, meta.engineVersion, meta.paramsHash],
    );
    return BigInt(rows[0].id);
  }

  async addChunk(id: bigint, seq: number, data: Buffer): Promise<void> {
    await this.prisma.db.execute('INSERT INTO consensus_snapshot_chunk (snapshot_id, seq, data) VALUES ($1, $2, $3)', [id.toString(), seq, data]);
  }

  async finish(id: bigint, done: { rawBytes: number; bytes: number; chunks: number; sha256: string }): Promise<void> {
    await this.prisma.db.execute('UPDATE consensus_snapshot SET raw_bytes = $2, bytes = $3, chunks = $4, sha256 = $5, complete = true WHERE id = $1', [
      id.toString(),
      done.rawBytes,
      done.bytes,
      done.chunks,
      done.sha256,
    ]);
  }

  async discard(id: bigint): Promise<void> {
    await this.prisma.db.execute('DELETE FROM consensus_snapshot WHERE id = $1', [id.toString()]);
  }

  /** Complete snapshots, newest generation first. */
  async newest(limit: number): Promise<SnapshotRow[]> {
    const rows = await this.prisma.db.query<SnapshotTuple>(
      `SELECT ${COLUMNS} FROM consensus_snapshot WHERE complete ORDER BY generation DESC, id DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toRow);
  }

  /**
   * The chunks of one snapshot in order, READ_CHUNKS per query (keyset on seq), so a restore holds a
   * few MiB at a time whatever the snapshot's size.
   */
  async *chunks(id: bigint): AsyncGenerator<Buffer> {
    let next = 0;
    for (;;) {
      const rows = await this.prisma.db.query<{ seq: number; data: Buffer }>(
        'SELECT seq, data FROM consensus_snapshot_chunk WHERE snapshot_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3',
        [id.toString(), next, READ_CHUNKS],
      );
      for (const row of rows) {
        if (row.seq !== next) throw new Error(`snapshot ${id} misses chunk ${next}`);
        next++;
        yield row.data;
      }
      if (rows.length < READ_CHUNKS) return;
    }
  }

  /**
   * Keeps the `keep` newest complete snapshots and deletes the others, plus incomplete ones older than
   * `abandonedBefore` (a writer that died; a write in progress is younger). Returns how many went.
   */
  async prune(keep: number, abandonedBefore: Date): Promise<number> {
    return this.prisma.db.execute(
      `DELETE FROM consensus_snapshot WHERE (complete AND id NOT IN (
         SELECT id FROM consensus_snapshot WHERE complete ORDER BY generation DESC, id DESC LIMIT $1))
         OR (NOT complete AND created_at < $2)`,
      [keep, abandonedBefore],
    );
  }
}
