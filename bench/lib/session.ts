import { startChildServer, type ChildServerSpec, type RunningServer } from './child-server.js';
import { benchOptionsFromEnv, type BenchOptions } from './options.js';
import { armWatchdog, installCleanup } from './processes.js';

/** Owns the servers of one benchmark run: all of them stop however the run ends. */
export class BenchSession {
  private readonly servers: RunningServer[] = [];
  private readonly disarm: () => void;

  constructor(budgetSec: number) {
    installCleanup();
    this.disarm = armWatchdog(budgetSec);
  }

  async startChild(spec: ChildServerSpec): Promise<RunningServer> {
    const server = await startChildServer(spec);
    this.servers.push(server);
    return server;
  }

  adopt(server: RunningServer): RunningServer {
    this.servers.push(server);
    return server;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.servers.splice(0).map((s) => s.stop()));
    this.disarm();
  }
}

/**
 * Runs a benchmark body with a session and always ends the process: exit 0 when the body
 * reports success, 1 on failure or error (lingering keep-alive sockets must not hold it open).
 */
export async function runBenchMain(budgetSec: number, body: (session: BenchSession) => Promise<boolean>): Promise<never> {
  const session = new BenchSession(budgetSec);
  let ok = false;
  try {
    ok = await body(session);
  } catch (error) {
    process.stderr.write(`bench failed: ${(error as Error).message}\n`);
  } finally {
    await session.close();
  }
  process.exit(ok ? 0 : 1);
}

/** BENCH_* settings, or exit 2 with the message naming every bad variable. */
export function benchOptionsOrExit(defaults: Partial<BenchOptions> = {}): BenchOptions {
  try {
    return benchOptionsFromEnv(process.env, defaults);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
}
