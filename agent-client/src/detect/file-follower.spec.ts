import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FileFollower, type FollowerEvent, type FollowPosition } from './file-follower.js';

describe('FileFollower', () => {
  let dir: string;
  let path: string;
  let lines: string[];
  let events: FollowerEvent['type'][];
  let followers: FileFollower[];

  const follower = (startAt: 'beginning' | 'end', resumeFrom?: FollowPosition, chunkBytes?: number) => {
    const f = new FileFollower({
      path,
      startAt,
      resumeFrom,
      chunkBytes,
      watch: false,
      onLines: (l) => lines.push(...l),
      onEvent: (e) => events.push(e.type),
    });
    followers.push(f);
    return f;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quorum-follow-'));
    path = join(dir, 'auth.log');
    lines = [];
    events = [];
    followers = [];
  });

  afterEach(async () => {
    for (const f of followers) await f.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts at the end or at the beginning', async () => {
    await writeFile(path, 'old1\nold2\n');
    const fromEnd = follower('end');
    await fromEnd.poll();
    expect(lines).toEqual([]);
    await appendFile(path, 'new\n');
    await fromEnd.poll();
    expect(lines).toEqual(['new']);
    lines = [];
    await follower('beginning').poll();
    expect(lines).toEqual(['old1', 'old2', 'new']);
  });

  it('holds a partial line until it is completed', async () => {
    await writeFile(path, '');
    const f = follower('beginning');
    await f.poll();
    await appendFile(path, 'first\nhal');
    await f.poll();
    expect(lines).toEqual(['first']);
    expect(f.position()?.offset).toBe(6);
    await appendFile(path, 'f\n');
    await f.poll();
    expect(lines).toEqual(['first', 'half']);
  });

  it('reads files bigger than its chunk', async () => {
    const many = Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(i % 37)}`);
    await writeFile(path, `${many.join('\n')}\n`);
    await follower('beginning', undefined, 64).poll();
    expect(lines).toEqual(many);
  });

  it('follows a rename rotation, draining the old file first', async () => {
    await writeFile(path, 'a\n');
    const f = follower('beginning');
    await f.poll();
    await appendFile(path, 'b\nunterminated');
    await rename(path, `${path}.1`);
    await appendFile(`${path}.1`, ' tail\n'); // written by the daemon before it reopens
    await f.poll(); // path missing: the old file is drained
    expect(lines).toEqual(['a', 'b', 'unterminated tail']);
    await writeFile(path, 'c\n');
    await f.poll();
    expect(lines).toEqual(['a', 'b', 'unterminated tail', 'c']);
    expect(events).toContain('rotated');
  });

  it('emits the partial last line of a rotated file', async () => {
    await writeFile(path, 'a\nlast-without-newline');
    const f = follower('beginning');
    await f.poll();
    await rename(path, `${path}.1`);
    await writeFile(path, 'fresh\n');
    await f.poll();
    expect(lines).toEqual(['a', 'last-without-newline', 'fresh']);
  });

  it('detects copytruncate and reads the file again from its start', async () => {
    await writeFile(path, 'one\ntwo\n');
    const f = follower('beginning');
    await f.poll();
    await truncate(path, 0);
    await appendFile(path, 'three\n');
    await f.poll();
    expect(lines).toEqual(['one', 'two', 'three']);
    expect(events).toContain('truncated');
  });

  it('waits for a missing file and reads it from the start when it appears', async () => {
    const f = follower('end');
    await f.poll();
    expect(events).toEqual(['missing']);
    await writeFile(path, 'hello\n');
    await f.poll();
    expect(lines).toEqual(['hello']);
  });

  it('resumes from a saved position only when the file is the same one', async () => {
    await writeFile(path, 'a\nb\n');
    const first = follower('beginning');
    await first.poll();
    await first.stop();
    const pos = first.position();
    expect(pos?.offset).toBe(4);
    await appendFile(path, 'c\n');
    lines = [];
    await follower('end', pos ?? undefined).poll();
    expect(lines).toEqual(['c']);

    // replaced while the old file still exists, so the inode differs
    await writeFile(`${path}.new`, 'other file\n');
    await rename(`${path}.new`, path);
    lines = [];
    await follower('beginning', pos ?? undefined).poll();
    expect(lines).toEqual(['other file']);
  });

  it('does not resume into a different file that reuses the inode', async () => {
    await writeFile(path, 'a\nb\n');
    const first = follower('beginning');
    await first.poll();
    const pos = first.position() as FollowPosition;
    await first.stop();
    await writeFile(path, 'x\ny\nz\n'); // same inode, other content: as after delete + inode reuse
    lines = [];
    await follower('end', pos).poll();
    expect(lines).toEqual(['x', 'y', 'z']);
  });

  it('polls by itself once started, with fs.watch as a hint', async () => {
    await writeFile(path, '');
    const f = new FileFollower({ path, startAt: 'end', pollIntervalMs: 20, onLines: (l) => lines.push(...l) });
    followers.push(f);
    f.start();
    await new Promise((r) => setTimeout(r, 50));
    await appendFile(path, 'live\n');
    for (let i = 0; i < 100 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(lines).toEqual(['live']);
  });
});
