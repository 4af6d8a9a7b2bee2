import { Injectable } from '@nestjs/common';
import type { Db } from '../infra/prisma/db.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import { READ_REPLICA_BEHIND, ReadReplica } from '../infra/prisma/read-replica.js';
import type { KeyHistoryRow, NewRow, OpenRow, StoredEntry, VersionInfo } from './blocklist.types.js';
import type { PublishPlan } from './publish-plan.js';
import type { BlocklistScope } from './render/types.js';

// Row shape shared by every read: value, ip_key, scope, scenario_class, score, until (epoch ms), added_in.
const ENTRY_COLUMNS = `value, ip_key, scope, scenario_class, score, (extract(epoch FROM until) * 1000)::float8 AS until_ms, added_in`;
type EntryTuple = [string, string, BlocklistScope, string, number, number, number];
/** The same columns by name, as the publishing transaction reads them (tx.query rows are objects). */
interface OpenEntryRow {
  id: string;
  value: string;
  ip_key: string;
  scope: BlocklistScope;
  scenario_class: string;
  score: number;
  until_ms: number;
  added_in: number;
}

const OPEN_ROWS_FOR_KEYS = `SELECT id::text, ${ENTRY_COLUMNS} FROM blocklist_entry WHERE ip_key = ANY($1::text[]) AND removed_in IS NULL`;
const INSERT_ROWS = `
INSERT INTO blocklist_entry (value, ip_key, scope, scenario_class, score, until, added_in)
SELECT t.v, t.k, t.s, t.c, t.sc, t.u, $7
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::timestamptz[]) AS t(v, k, s, c, sc, u)`;
// The list at version $1: rows opened at or before it and not closed by it.
const ENTRIES_AT = `
SELECT ${ENTRY_COLUMNS} FROM blocklist_entry WHERE removed_in IS NULL AND added_in <= $1
UNION ALL
SELECT ${ENTRY_COLUMNS} FROM blocklist_entry WHERE removed_in > $1 AND added_in <= $1`;
// Rows opened in ($1, $2] and still open at $2 (index on added_in).
const OPENED_BETWEEN = `
SELECT ${ENTRY_COLUMNS} FROM blocklist_entry
WHERE added_in > $1 AND added_in <= $2 AND (removed_in IS NULL OR removed_in > $2)`;
// Rows open at $1 and closed in ($1, $2] (index on removed_in).
const CLOSED_BETWEEN = `
SELECT ${ENTRY_COLUMNS} FROM blocklist_entry
WHERE removed_in > $1 AND removed_in <= $2 AND added_in <= $1`;
// Rows open at both $1 and $2 whose until lies in ($3, $4] (index on removed_in, until).
const EXPIRING_BETWEEN = `
SELECT ${ENTRY_COLUMNS} FROM blocklist_entry
WHERE removed_in IS NULL AND until > $3 AND until <= $4 AND added_in <= $1
UNION ALL
SELECT ${ENTRY_COLUMNS} FROM blocklist_entry
WHERE removed_in > $2 AND until > $3 AND until <= $4 AND added_in <= $1`;

const LATEST_VERSION_ID = 'SELECT coalesce(max(id), 0) AS id FROM blocklist_version';
const LATEST_VERSION = 'SELECT id, created_at, added, removed, total FROM blocklist_version ORDER BY id DESC LIMIT 1';

/** How long entry reads wait for a read replica to reach the version they are for, before reading the primary. */
const REPLICA_WAIT_MS = 1_000;

interface VersionRow {
  id: number;
  created_at: Date;
  added: number;
  removed: number;
  total: number;
}

function toVersion(row: VersionRow): VersionInfo {
  return { id: row.id, createdAt: row.created_at, added: row.added, removed: row.removed, total: row.total };
}

function toEntry(t: EntryTuple): StoredEntry {
  const [value, ipKey, scope, scenarioClass, score, untilMs, addedInVersion] = t;
  // IPv4 keys are their own value: share the string (a million-entry list keeps it once).
  return { value, ipKey: ipKey === value ? value : ipKey, scope, scenarioClass, score, until: new Date(untilMs), addedInVersion };
}

function toOpenRow(r: OpenEntryRow): OpenRow {
  return { id: r.id, ...toEntry([r.value, r.ip_key, r.scope, r.scenario_class, r.score, r.until_ms, r.added_in]) };
}

/**
 * Versions and entry rows of the blocklist (docs/architecture.md "Data access"): writes run in
 * `PrismaService.transaction` with bulk statements over arrays (tx.query / tx.execute), version numbers
 * are read through `db.query` on the primary. The entry reads of a given version (the list at a version,
 * the rows opened, closed or expiring between two) run in a `ReadReplica` snapshot: on the read replica
 * when one is configured and it has that version, else on the primary (docs/scaling.md "Read replica").
 */
@Injectable()
export class BlocklistRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly replica: ReadReplica,
  ) {}

  /**
   * One transaction per version, serialised by an advisory lock: reads the open rows of the given
   * keys, asks `plan` what to change, and writes the version (id = previous + 1) with its rows. Open
   * rows whose `until` has passed are closed in the same version. Returns null when the plan is empty.
   */
  async publishVersion(keys: readonly string[], now: Date, plan: (open: OpenRow[]) => PublishPlan): Promise<VersionInfo | null> {
    return this.prisma.transaction(async (tx) => {
      await tx.execute(`SELECT pg_advisory_xact_lock(hashtext('quorum:blocklist:publish'))`);
      const [latest] = await tx.query<VersionRow>(LATEST_VERSION);
      const open = await tx.query<OpenEntryRow>(OPEN_ROWS_FOR_KEYS, [keys]);
      const changes = plan(open.map(toOpenRow));
      if (changes.close.length === 0 && changes.open.length === 0) return null;
      const id = (latest?.id ?? 0) + 1;
      // Versions are ordered in time too: history is pruned by creation time.
      const createdAt = latest && latest.created_at.getTime() > now.getTime() ? latest.created_at : now;
      const closed = await tx.execute('UPDATE blocklist_entry SET removed_in = $1 WHERE id = ANY($2::bigint[]) AND removed_in IS NULL', [id, changes.close]);
      const expired = await tx.execute('UPDATE blocklist_entry SET removed_in = $1 WHERE removed_in IS NULL AND until <= $2', [id, createdAt]);
      await insertRows(tx, changes.open, id);
      const removed = closed + expired;
      const version: VersionInfo = { id, createdAt, added: changes.open.length, removed, total: (latest?.total ?? 0) + changes.open.length - removed };
      await tx.execute('INSERT INTO blocklist_version (id, created_at, added, removed, total) VALUES ($1, $2, $3, $4, $5)', [
        version.id,
        version.createdAt,
        version.added,
        version.removed,
        version.total,
      ]);
      return version;
    });
  }

  /**
   * Drops history older than `cutoff`: the oldest kept version is the first created at or after it
   * (never beyond the latest), and rows closed at or before that version are deleted, so deltas from
   * any kept version stay exact. Returns the oldest kept version id (0 when there is none).
   */
  async pruneHistory(cutoff: Date): Promise<number> {
    return this.prisma.transaction(async (tx) => {
      const [{ keep: oldest }] = await tx.query<{ keep: number }>(
        `SELECT coalesce((SELECT min(id) FROM blocklist_version WHERE created_at >= $1), (SELECT max(id) FROM blocklist_version), 0) AS keep`,
        [cutoff],
      );
      if (oldest > 1) {
        await tx.execute('DELETE FROM blocklist_entry WHERE removed_in <= $1', [oldest]);
        await tx.execute('DELETE FROM blocklist_version WHERE id < $1', [oldest]);
      }
      return oldest;
    });
  }

  async latestVersion(): Promise<VersionInfo | null> {
    const [latest] = await this.prisma.db.query<VersionRow>(LATEST_VERSION);
    return latest ? toVersion(latest) : null;
  }

  /** When a version was published, or null when it is not (or no longer) in the kept history. */
  async versionCreatedAt(id: number): Promise<Date | null> {
    const [row] = await this.prisma.db.query<{ created_at: Date }>('SELECT created_at FROM blocklist_version WHERE id = $1', [id]);
    return row?.created_at ?? null;
  }

  /** Versions after `afterId`, oldest first. */
  async versionsAfter(afterId: number): Promise<VersionInfo[]> {
    const rows = await this.prisma.db.query<VersionRow>('SELECT id, created_at, added, removed, total FROM blocklist_version WHERE id > $1 ORDER BY id', [afterId]);
    return rows.map(toVersion);
  }

  async oldestVersionId(): Promise<number> {
    const [row] = await this.prisma.db.query<{ id: number | null }>('SELECT min(id) AS id FROM blocklist_version');
    return row.id ?? 0;
  }

  /** Versions before `beforeId` (all when null), newest first, at most `limit`. */
  async versionsPage(beforeId: number | null, limit: number): Promise<VersionInfo[]> {
    const rows = await this.prisma.db.query<VersionRow>(
      'SELECT id, created_at, added, removed, total FROM blocklist_version WHERE ($1::int IS NULL OR id < $1) ORDER BY id DESC LIMIT $2',
      [beforeId, limit],
    );
    return rows.map(toVersion);
  }

  /** Every kept row of one key (its listings, open and closed) with the times of the versions that opened and closed them. */
  async historyOf(ipKey: string, limit: number): Promise<KeyHistoryRow[]> {
    const rows = await this.prisma.db.query<{ scenario_class: string; score: number; until: Date; added_in: number; removed_in: number | null; added_at: Date | null; removed_at: Date | null }>(
      `SELECT e.scenario_class, e.score, e.until, e.added_in, e.removed_in, a.created_at AS added_at, r.created_at AS removed_at
       FROM blocklist_entry e
       LEFT JOIN blocklist_version a ON a.id = e.added_in
       LEFT JOIN blocklist_version r ON r.id = e.removed_in
       WHERE e.ip_key = $1 ORDER BY e.added_in DESC LIMIT $2`,
      [ipKey, limit],
    );
    return rows.map((r) => ({ scenarioClass: r.scenario_class, score: r.score, until: r.until, addedIn: r.added_in, removedIn: r.removed_in, addedAt: r.added_at, removedAt: r.removed_at })).reverse();
  }

  entriesAt(version: number): Promise<StoredEntry[]> {
    return this.entries(version, ENTRIES_AT, [version]);
  }

  openedBetween(from: number, to: number): Promise<StoredEntry[]> {
    return this.entries(to, OPENED_BETWEEN, [from, to]);
  }

  closedBetween(from: number, to: number): Promise<StoredEntry[]> {
    return this.entries(to, CLOSED_BETWEEN, [from, to]);
  }

  /** Rows listed at both versions whose `until` falls in (after, upTo]. */
  expiringBetween(from: number, to: number, after: Date, upTo: Date): Promise<StoredEntry[]> {
    return this.entries(to, EXPIRING_BETWEEN, [from, to, after, upTo]);
  }

  /**
   * Rows of a query bounded by version `version`, read in one snapshot (rows as arrays: a million-entry
   * list is read at boot). On a replica, from a snapshot that holds that version (its rows were written
   * in the version's transaction, so they are all there); versions are never renumbered, so rows past it
   * do not change the answer. Without a replica the snapshot is the primary's.
   */
  private async entries(version: number, text: string, values: unknown[]): Promise<StoredEntry[]> {
    const { value } = await this.replica.snapshot(
      async (client, source) => {
        if (source === 'replica' && (await client.query<{ id: number }>(LATEST_VERSION_ID)).rows[0].id < version) return READ_REPLICA_BEHIND;
        return (await client.query<EntryTuple>({ text, values, rowMode: 'array' })).rows;
      },
      { waitMs: REPLICA_WAIT_MS },
    );
    return value.map(toEntry);
  }
}

/** Opens `rows` in version `version`: one statement over column arrays (until as UTC ISO text). */
async function insertRows(tx: Db, rows: readonly NewRow[], version: number): Promise<void> {
  if (rows.length === 0) return;
  const column = <T>(pick: (r: NewRow) => T): T[] => rows.map(pick);
  await tx.execute(INSERT_ROWS, [
    column((r) => r.value),
    column((r) => r.ipKey),
    column((r) => r.scope),
    column((r) => r.scenarioClass),
    column((r) => r.score),
    column((r) => r.until.toISOString()),
    version,
  ]);
}
