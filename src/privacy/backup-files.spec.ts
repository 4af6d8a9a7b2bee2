import { backupFileName, backupTime, backupsToDelete, oldestBackup } from './backup-files.js';

const DAY = 86_400_000;
const now = new Date('2026-12-07T04:00:00.000Z');
const name = (daysAgo: number) => backupFileName(new Date(now.getTime() - daysAgo * DAY));

describe('backup rotation (R13)', () => {
  it('names backups by their start time and reads it back', () => {
    expect(backupFileName(new Date('2026-12-07T04:05:06.789Z'))).toBe('quorum-20261207T040506Z.dump.enc');
    expect(backupTime('quorum-20261207T040506Z.dump.enc')).toEqual(new Date('2026-12-07T04:05:06.000Z'));
    expect(backupTime('quorum-20261207T040506Z.dump.enc.partial')).toBeNull();
    expect(backupTime('notes.txt')).toBeNull();
  });

  it('deletes backups older than the period, one minute either side, never the newest nor other files', () => {
    const justPast = backupFileName(new Date(now.getTime() - 35 * DAY - 60_000));
    const justInside = backupFileName(new Date(now.getTime() - 35 * DAY + 60_000));
    expect(backupsToDelete([justPast, justInside, name(1), 'erasure-ledger.jsonl', `${name(50)}.partial`], now, 35)).toEqual([justPast]);
    // Backups stopped 60 days ago: the newest old one is kept.
    expect(backupsToDelete([name(70), name(60)], now, 35)).toEqual([name(70)]);
    expect(backupsToDelete([], now, 35)).toEqual([]);
  });

  it('finds the oldest kept backup', () => {
    expect(oldestBackup([name(3), name(30), 'x'])).toEqual(backupTime(name(30)));
    expect(oldestBackup(['x'])).toBeNull();
  });
});
