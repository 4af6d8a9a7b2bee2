import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseCidr } from '../net/cidr.js';
import { writeFileAtomic } from './atomic-write.js';
import { BlocklistWriter, type OutputSpec } from './blocklist-output.js';
import { hookSucceeded, runHook } from './exec-hook.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quorum-out-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('replaces the file with the given mode and leaves no temp file', async () => {
    const path = join(dir, 'list.txt');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new\n', 0o640);
    expect(await readFile(path, 'utf8')).toBe('new\n');
    expect((await stat(path)).mode & 0o777).toBe(0o640);
    expect(await readdir(dir)).toEqual(['list.txt']);
  });

  it('cleans up and keeps the old file when the rename fails', async () => {
    const target = join(dir, 'is-a-dir');
    await (await import('node:fs/promises')).mkdir(join(target, 'child'), { recursive: true });
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['is-a-dir']);
  });
});

describe('runHook', () => {
  it('reports the exit code and stderr tail', async () => {
    const r = await runHook(['sh', '-c', 'echo oops >&2; exit 3', 'hook'], ['/tmp/file'], 5000);
    expect(r).toMatchObject({ exitCode: 3, timedOut: false, stderr: 'oops\n' });
    expect(hookSucceeded(r)).toBe(false);
  });

  it('passes the file path as the last argument', async () => {
    const r = await runHook(['sh', '-c', 'test "$1" = /some/path', 'hook'], ['/some/path'], 5000);
    expect(hookSucceeded(r)).toBe(true);
  });

  it('kills a command that outlives its time', async () => {
    const r = await runHook(['sleep', '10'], [], 100, 100);
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGTERM');
    expect(r.durationMs).toBeLessThan(2000);
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const r = await runHook(['sh', '-c', 'trap "" TERM; sleep 10; exit 0'], [], 100, 100);
    expect(r).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
  });

  it('reports a command that cannot start', async () => {
    const r = await runHook(['/nonexistent/hook'], [], 1000);
    expect(r.error).toMatch(/ENOENT/);
    expect(hookSucceeded(r)).toBe(false);
  });
});

describe('BlocklistWriter', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quorum-out-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const spec = (over: Partial<OutputSpec>): OutputSpec => ({
    type: 'text',
    format: 'text',
    path: join(dir, 'list.txt'),
    timeoutMs: 5000,
    mode: 0o644,
    nftables: { family: 'inet', table: 'quorum', setV4: 'v4', setV6: 'v6' },
    ipset: { setV4: 'q4', setV6: 'q6', maxElem: 65536 },
    ...over,
  });

  it('writes every output, applies the allowlist, and runs hooks only on change', async () => {
    const marker = join(dir, 'calls');
    const outputs = [
      spec({ type: 'exec', command: ['sh', '-c', `echo "$1" >> ${marker}`, 'hook'] }),
      spec({ type: 'nftables', format: 'nftables', path: join(dir, 'list.nft') }),
    ];
    const w = new BlocklistWriter(outputs, [parseCidr('198.51.100.7')!]);
    const first = await w.apply(['203.0.113.5', '198.51.100.7']);
    expect(first.results.map((r) => r.changed)).toEqual([true, true]);
    expect(await readFile(join(dir, 'list.txt'), 'utf8')).toBe('203.0.113.5\n');
    expect(await readFile(join(dir, 'list.nft'), 'utf8')).toContain('{ 203.0.113.5 }');
    const again = await w.apply(['198.51.100.7', '203.0.113.5']);
    expect(again.results.map((r) => r.changed)).toEqual([false, false]);
    await w.apply(['203.0.113.6']);
    expect((await readFile(marker, 'utf8')).trim().split('\n')).toEqual([join(dir, 'list.txt'), join(dir, 'list.txt')]);
  });

  it('retries an output whose hook failed, and isolates failures', async () => {
    const flag = join(dir, 'ok');
    const outputs = [spec({ type: 'exec', command: ['sh', '-c', `test -e ${flag}`] }), spec({ path: join(dir, 'missing-dir', 'x.txt') }), spec({ path: join(dir, 'b.txt') })];
    const w = new BlocklistWriter(outputs, []);
    const first = await w.apply(['203.0.113.5']);
    expect(first.results[0].hook?.exitCode).toBe(1);
    expect(first.results[1].error).toMatch(/ENOENT/);
    expect(first.results[2].changed).toBe(true);
    expect(first.results[2].error).toBeUndefined();
    await writeFile(flag, '');
    const second = await w.apply(['203.0.113.5']);
    expect(second.results[0]).toMatchObject({ changed: true, hook: { exitCode: 0 } });
    expect((await w.apply(['203.0.113.5'])).results[0].changed).toBe(false);
  });

  it('does not need write access to anything but the output directory', async () => {
    await chmod(dir, 0o700);
    const w = new BlocklistWriter([spec({})], []);
    expect((await w.apply([])).results[0]).toMatchObject({ changed: true, entries: 0 });
    expect(await readFile(join(dir, 'list.txt'), 'utf8')).toBe('');
  });
});
