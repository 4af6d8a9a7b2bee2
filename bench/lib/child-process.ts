import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { captureTail, mergeEnv, stopChild, type RunningServer } from './child-server.js';
import { trackChild } from './processes.js';

export interface ChildProcessSpec {
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Resolves true once the child is up (e.g. a BullMQ worker registered); polled every 200 ms. */
  ready: () => Promise<boolean>;
  timeoutMs: number;
  echoOutput?: boolean;
}

/** A server child without an HTTP port (e.g. `quorum worker`): same process-group handling as startChildServer. */
export async function startChildProcess(spec: ChildProcessSpec): Promise<RunningServer> {
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: mergeEnv(process.env, spec.env ?? {}), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  trackChild(child);
  const tail = captureTail(child, spec.echoOutput === true ? spec.name : undefined);
  const stop = () => stopChild(child);
  const deadline = Date.now() + spec.timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${spec.name}: exited (${child.exitCode ?? child.signalCode}) before it was ready\n--- last output ---\n${tail().join('\n')}`);
    }
    if (await spec.ready().catch(() => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${spec.name}: not ready after ${spec.timeoutMs} ms\n--- last output ---\n${tail().join('\n')}`);
    }
    await sleep(200);
  }
  return { name: spec.name, baseUrl: '', pid: child.pid, stop };
}

interface ProcStat {
  pid: number;
  ppid: number;
  rss: number;
  /** user + system CPU time, in clock ticks */
  cpuTicks: number;
}

/** /proc/<pid>/stat of every process, and the pids of `rootPid`'s tree (children may run in groups of their own). */
async function processTree(rootPid: number): Promise<ProcStat[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const procs: ProcStat[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      // Fields after the parenthesised command: state ppid pgrp ... utime (14) stime (15) ... rss (in pages, 24).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.push({ pid: Number(name), ppid: Number(fields[1]), rss: Number(fields[21]) * 4096, cpuTicks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended meanwhile
    }
  }
  const inTree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) {
      if (!inTree.has(p.pid) && inTree.has(p.ppid)) {
        inTree.add(p.pid);
        grew = true;
      }
    }
  }
  return procs.filter((p) => inTree.has(p.pid));
}

/** Resident memory in bytes of a process and all its descendants, from /proc. */
export async function treeRssBytes(rootPid: number): Promise<number> {
  return (await processTree(rootPid)).reduce((sum, p) => sum + p.rss, 0);
}

/** Linux's clock tick (USER_HZ), the unit of utime and stime in /proc: 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) a process and its descendants have used so far, from /proc: the work a
 * server does per answer, independent of how much CPU a busy machine leaves it (unlike requests/s).
 */
export async function treeCpuMs(rootPid: number): Promise<number> {
  return ((await processTree(rootPid)).reduce((sum, p) => sum + p.cpuTicks, 0) * 1000) / TICKS_PER_SECOND;
}
