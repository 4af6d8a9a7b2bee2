const NAME = /^quorum-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.dump\.enc$/;

/** `quorum-20261207T040000Z.dump.enc`: the name carries the time the dump started (UTC). */
export function backupFileName(at: Date): string {
  return `quorum-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}.dump.enc`;
}

export function backupTime(name: string): Date | null {
  const m = NAME.exec(name);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : null;
}

/**
 * Backups to delete: older than the retention period, but never the newest one (a stopped backup
 * job must not leave nothing to restore). Other files in the directory are never touched.
 */
export function backupsToDelete(names: readonly string[], now: Date, retentionDays: number): string[] {
  const dated = names.map((name) => ({ name, at: backupTime(name) })).filter((b): b is { name: string; at: Date } => b.at !== null);
  if (dated.length === 0) return [];
  const newest = dated.reduce((a, b) => (a.at > b.at ? a : b));
  const cutoff = now.getTime() - retentionDays * 86_400_000;
  return dated.filter((b) => b !== newest && b.at.getTime() < cutoff).map((b) => b.name).sort();
}

/** The oldest backup kept after rotation (ledger entries older than it can no longer be needed). */
export function oldestBackup(names: readonly string[]): Date | null {
  const times = names.map(backupTime).filter((t): t is Date => t !== null);
  return times.length ? new Date(Math.min(...times.map((t) => t.getTime()))) : null;
}
