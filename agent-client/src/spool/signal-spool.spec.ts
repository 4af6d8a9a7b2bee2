import { randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Signal } from '../detect/signal.js';
import { SignalSpool } from './signal-spool.js';

function signal(n: number): Signal {
  return {
    ip: `203.0.113.${n % 256}`,
    scenario: 'quorum/ssh-bf',
    scenario_version: '1.0',
    scenario_hash: 'a'.repeat(64),
    started_at: new Date(Date.UTC(2026, 10, 25) + n).toISOString(),
    stopped_at: new Date(Date.UTC(2026, 10, 25) + n + 1).toISOString(),
    uuid: randomUUID(),
  };
}

describe('SignalSpool', () => {
  let dir: string;
  let path: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quorum-spool-'));
    path = join(dir, 'spool.jsonl');
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps unacknowledged signals across a restart, in order', async () => {
    const s = await SignalSpool.open(path);
    const list = [signal(1), signal(2), signal(3)];
    await s.append(list);
    await s.acknowledge([list[1].uuid]);
    await s.close();
    const again = await SignalSpool.open(path);
    expect(again.peek(10)).toEqual([list[0], list[2]]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await again.close();
  });

  it('appends each uuid once and never returns an acknowledged one', async () => {
    const s = await SignalSpool.open(path);
    const a = signal(1);
    expect(await s.append([a, a])).toBe(1);
    expect(await s.append([a])).toBe(0);
    await s.acknowledge([a.uuid]);
    expect(await s.append([a])).toBe(0);
    expect(s.peek(10)).toEqual([]);
    expect(await s.acknowledge([a.uuid, 'unknown'])).toBe(0);
    await s.close();
  });

  it('peeks the oldest first, limited', async () => {
    const s = await SignalSpool.open(path);
    const list = Array.from({ length: 5 }, (_, i) => signal(i));
    await s.append(list);
    expect(s.peek(2)).toEqual(list.slice(0, 2));
    await s.close();
  });

  it('survives a crash mid-record: a torn last line is ignored and cut before new appends', async () => {
    const s = await SignalSpool.open(path);
    const list = Array.from({ length: 4 }, (_, i) => signal(i));
    await s.append(list.slice(0, 2));
    await s.acknowledge([list[0].uuid]);
    await s.append(list.slice(2));
    await s.close();
    const full = await readFile(path);
    const lineEnds = [...full.entries()].filter(([, b]) => b === 10).map(([i]) => i + 1);

    // every line boundary, one byte either side of it, and the middle of every line
    const cuts = new Set<number>([0, full.length]);
    let prev = 0;
    for (const e of lineEnds) {
      for (const c of [e - 1, e, e + 1, (prev + e) >> 1]) if (c >= 0 && c <= full.length) cuts.add(c);
      prev = e;
    }
    for (const cut of [...cuts].sort((x, y) => x - y)) {
      await writeFile(path, full.subarray(0, cut));
      const complete = lineEnds.filter((e) => e <= cut).length;
      const spool = await SignalSpool.open(path);
      // the expected state after `complete` whole records: s0, s1, ack(s0), s2, s3
      const expected = [[], [list[0]], [list[0], list[1]], [list[1]], [list[1], list[2]], [list[1], list[2], list[3]]][complete];
      expect(spool.peek(10)).toEqual(expected);
      expect(spool.stats().skippedLines).toBe(lineEnds.includes(cut) || cut === 0 ? 0 : 1);
      const extra = signal(99);
      await spool.append([extra]);
      await spool.close();
      const reopened = await SignalSpool.open(path);
      expect(reopened.peek(10)).toEqual([...expected, extra]);
      expect(reopened.stats().skippedLines).toBe(0);
      await reopened.close();
    }
  });

  it('skips a corrupt line in the middle and keeps the rest', async () => {
    const s = await SignalSpool.open(path);
    const [a, b] = [signal(1), signal(2)];
    await s.append([a]);
    await s.close();
    await appendFile(path, '{"t":"s","s":{"ip":1}}\nnot json\n');
    const t = await SignalSpool.open(path);
    await t.append([b]);
    await t.close();
    const u = await SignalSpool.open(path);
    expect(u.peek(10)).toEqual([a, b]);
    expect(u.stats().skippedLines).toBe(2);
    await u.close();
  });

  it('compacts when acknowledged records dominate, atomically', async () => {
    const s = await SignalSpool.open(path, { compactMinDead: 10 });
    const list = Array.from({ length: 20 }, (_, i) => signal(i));
    await s.append(list);
    await s.acknowledge(list.slice(0, 3).map((x) => x.uuid));
    expect(s.stats().compactions).toBe(0);
    await s.acknowledge(list.slice(3, 12).map((x) => x.uuid));
    expect(s.stats()).toMatchObject({ compactions: 1, deadRecords: 0, pending: 8 });
    const text = await readFile(path, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(8);
    expect(s.stats().fileBytes).toBe(Buffer.byteLength(text));
    const extra = signal(50);
    await s.append([extra]);
    await s.close();
    const again = await SignalSpool.open(path);
    expect(again.peek(100)).toEqual([...list.slice(12), extra]);
    await again.close();
  });

  it('ignores a half-written compaction file left by a crash', async () => {
    const s = await SignalSpool.open(path);
    const a = signal(1);
    await s.append([a]);
    await s.close();
    await writeFile(`${path}.compact`, '{"t":"s"');
    const t = await SignalSpool.open(path);
    expect(t.peek(10)).toEqual([a]);
    await expect(stat(`${path}.compact`)).rejects.toThrow();
    await t.close();
  });

  it('drops the oldest signals beyond maxPending and says so', async () => {
    const s = await SignalSpool.open(path, { maxPending: 3 });
    const list = Array.from({ length: 5 }, (_, i) => signal(i));
    await s.append(list);
    expect(s.peek(10)).toEqual(list.slice(2));
    expect(s.stats().dropped).toBe(2);
    await s.close();
    const again = await SignalSpool.open(path);
    expect(again.stats()).toMatchObject({ pending: 3, dropped: 2 });
    await again.close();
  });

  it('serialises concurrent appends and acknowledgements', async () => {
    const s = await SignalSpool.open(path);
    const list = Array.from({ length: 50 }, (_, i) => signal(i));
    await Promise.all(list.map((x, i) => (i % 2 === 0 ? s.append([x]) : s.append([x]).then(() => s.acknowledge([x.uuid])))));
    expect(s.pendingCount).toBe(25);
    await s.close();
    const again = await SignalSpool.open(path);
    expect(again.pendingCount).toBe(25);
    expect(again.stats().skippedLines).toBe(0);
    await again.close();
  });
});
