import type { StoredEntry, VersionInfo } from './blocklist.types.js';
import { RankedList } from './ranked-list.js';

/**
 * The current list of one process, kept in memory: loaded whole once, then moved forward version by
 * version from the rows each version opened and closed. Also remembers when each kept version was
 * created (deltas need it) and the oldest version still answerable.
 */
export class BlocklistState {
  private readonly byKey = new Map<string, StoredEntry>();
  private readonly createdAtMs = new Map<number, number>();
  private latest: VersionInfo | null = null;
  private oldestKept = 0;
  private list: StoredEntry[] | null = null;
  /**
   * The same entries in rank order: sorted once, on the first `ranked()` after a load, then updated by
   * each version's changes (never sorted again whole). Null until a view asks for it: a process that
   * only serves full views never ranks, and a load does not pay a million-entry sort up front.
   */
  private rankedList: RankedList | null = null;

  get version(): number {
    return this.latest?.id ?? 0;
  }

  /** Creation time of the loaded version (0 before any version). */
  get versionCreatedAtMs(): number {
    return this.latest?.createdAt.getTime() ?? 0;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The oldest version whose delta to the current one can still be computed. */
  get oldestVersion(): number {
    return this.oldestKept;
  }

  /** Creation time of a kept version; version 0 (the empty list) counts as created with version 1. */
  createdAt(version: number): number | undefined {
    return this.createdAtMs.get(version);
  }

  /** Replaces everything with the list at `history`'s last version. */
  replace(entries: readonly StoredEntry[], history: readonly VersionInfo[], oldest: number): void {
    this.byKey.clear();
    for (const entry of entries) this.byKey.set(entry.ipKey, entry);
    this.rankedList = null;
    this.createdAtMs.clear();
    this.latest = null;
    this.remember(history, oldest);
  }

  /**
   * Moves forward to the last of `versions` (which must directly follow the loaded one): `closed` are
   * rows that were open here and are closed by then, `opened` rows opened since and still open.
   */
  apply(versions: readonly VersionInfo[], opened: readonly StoredEntry[], closed: readonly StoredEntry[], oldest: number): void {
    if (versions.length === 0) return;
    if (versions[0].id !== this.version + 1) throw new Error(`version ${versions[0].id} does not follow ${this.version}`);
    const ranked = this.rankedList;
    for (const row of closed) {
      const current = this.byKey.get(row.ipKey);
      if (current && current.addedInVersion === row.addedInVersion) {
        this.byKey.delete(row.ipKey);
        ranked?.remove(current);
      }
    }
    for (const row of opened) {
      const current = this.byKey.get(row.ipKey);
      if (current) ranked?.remove(current);
      this.byKey.set(row.ipKey, row);
      ranked?.add(row);
    }
    this.remember(versions, oldest);
  }

  /** Every open entry of the loaded version (expired ones included: views filter by `until`). */
  entries(): readonly StoredEntry[] {
    this.list ??= [...this.byKey.values()];
    return this.list;
  }

  /**
   * The entries in ranking order (ranking.ts). The first call after a load sorts the list; from then on
   * it is kept up to date as versions apply, so it changes with the next `apply`: iterate it
   * synchronously, without awaiting in between.
   */
  ranked(): Iterable<StoredEntry> {
    if (this.rankedList === null) {
      this.rankedList = new RankedList();
      this.rankedList.reset(this.byKey.values());
    }
    return this.rankedList;
  }

  private remember(versions: readonly VersionInfo[], oldest: number): void {
    for (const v of versions) this.createdAtMs.set(v.id, v.createdAt.getTime());
    if (versions.length > 0) this.latest = versions[versions.length - 1];
    const first = this.createdAtMs.get(1);
    if (oldest <= 1 && first !== undefined) this.createdAtMs.set(0, first);
    this.oldestKept = oldest <= 1 ? 0 : oldest;
    for (const id of this.createdAtMs.keys()) if (id < this.oldestKept) this.createdAtMs.delete(id);
    this.list = null;
  }
}
