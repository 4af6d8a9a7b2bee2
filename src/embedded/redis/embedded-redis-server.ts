import { readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { LuaEngine } from './lua-engine.js';
import { MemoryStore, type SnapshotRow } from './memory-store.js';
import { CommandParser, encodeReply, OK, QUEUED, type Reply, replyError, status } from './resp.js';

interface Connection {
  readonly socket: Socket;
  readonly channels: Set<string>;
  multi: string[][] | null;
  multiFailed: boolean;
}

const SUBSCRIBED_ALLOWED = new Set(['subscribe', 'unsubscribe', 'ping', 'quit', 'reset']);
// Commands a connection may send that touch no data and that ioredis issues on connect.
const NO_OP_OK = new Set(['select', 'client', 'readonly', 'auth']);

/**
 * A loopback server speaking the Redis protocol (RESP2) over an in-memory keyspace: every ioredis
 * client of the process (the app connection, duplicates, dedicated subscribers) connects to it
 * unchanged. Covers the commands Quorum uses: strings, counters, sets, expiry, MULTI/EXEC, EVAL and
 * EVALSHA (Lua through fengari), PUBLISH/SUBSCRIBE. With a snapshot path the keyspace (nonces, rate
 * windows, quotas) is written there every few seconds and on close, and read back on start, so a
 * restart keeps batch nonces; a crash loses at most the last interval.
 */
export class EmbeddedRedisServer {
  private readonly store = new MemoryStore();
  private readonly lua = new LuaEngine();
  private readonly connections = new Set<Connection>();
  private server: Server | null = null;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly snapshotPath: string | null = null) {}

  async start(port = 0): Promise<string> {
    if (this.snapshotPath) {
      const text = await readFile(this.snapshotPath, 'utf8').catch(() => null);
      if (text) this.store.restore(JSON.parse(text) as SnapshotRow[]);
    }
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.sweeper = setInterval(() => {
      this.store.sweep();
      void this.saveSnapshot().catch(() => undefined);
    }, 5_000);
    this.sweeper.unref();
    return `redis://127.0.0.1:${(server.address() as AddressInfo).port}/0`;
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const connection of this.connections) connection.socket.destroy();
    this.connections.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.saveSnapshot();
  }

  private async saveSnapshot(): Promise<void> {
    if (!this.snapshotPath) return;
    const temp = `${this.snapshotPath}.tmp`;
    await writeFile(temp, JSON.stringify(this.store.dump()));
    await rename(temp, this.snapshotPath);
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const connection: Connection = { socket, channels: new Set(), multi: null, multiFailed: false };
    this.connections.add(connection);
    const parser = new CommandParser();
    socket.on('data', (chunk: Buffer) => {
      let commands: Buffer[][];
      try {
        commands = parser.push(chunk);
      } catch (error) {
        socket.end(encodeReply(replyError(`ERR ${(error as Error).message}`)));
        return;
      }
      const out: Buffer[] = [];
      for (const raw of commands) {
        const args = raw.map((b) => b.toString());
        const reply = this.handle(connection, args[0].toLowerCase(), args.slice(1), out);
        if (reply !== undefined) out.push(encodeReply(reply));
        if (args[0].toLowerCase() === 'quit') {
          socket.end(Buffer.concat(out));
          return;
        }
      }
      if (out.length > 0) socket.write(Buffer.concat(out));
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.connections.delete(connection));
  }

  /** Returns the reply, or undefined when the command already wrote its replies to `out`. */
  private handle(connection: Connection, name: string, args: string[], out: Buffer[]): Reply | undefined {
    if (connection.channels.size > 0 && !SUBSCRIBED_ALLOWED.has(name)) {
      return replyError(`ERR Can't execute '${name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`);
    }
    if (connection.multi && !['exec', 'discard', 'multi', 'watch'].includes(name)) {
      if (!this.knows(name)) {
        connection.multiFailed = true;
        return replyError(`ERR unknown command '${name}'`);
      }
      connection.multi.push([name, ...args]);
      return QUEUED;
    }
    switch (name) {
      case 'multi':
        if (connection.multi) return replyError('ERR MULTI calls can not be nested');
        connection.multi = [];
        connection.multiFailed = false;
        return OK;
      case 'exec': {
        const queued = connection.multi;
        connection.multi = null;
        if (!queued) return replyError('ERR EXEC without MULTI');
        if (connection.multiFailed) return replyError('EXECABORT Transaction discarded because of previous errors.');
        return queued.map(([cmd, ...rest]) => this.command(cmd, rest));
      }
      case 'discard':
        if (!connection.multi) return replyError('ERR DISCARD without MULTI');
        connection.multi = null;
        return OK;
      case 'subscribe':
        for (const channel of args) {
          connection.channels.add(channel);
          out.push(encodeReply(['subscribe', channel, connection.channels.size]));
        }
        return undefined;
      case 'unsubscribe':
        for (const channel of args.length > 0 ? args : [...connection.channels]) {
          connection.channels.delete(channel);
          out.push(encodeReply(['unsubscribe', channel, connection.channels.size]));
        }
        if (args.length === 0 && out.length === 0) out.push(encodeReply(['unsubscribe', null, 0]));
        return undefined;
      case 'ping':
        if (connection.channels.size > 0) return ['pong', args[0] ?? ''];
        return args.length > 0 ? args[0] : status('PONG');
      case 'quit':
        return OK;
      default:
        return this.command(name, args);
    }
  }

  private knows(name: string): boolean {
    return this.store.has(name) || this.serverCommand(name, null) !== undefined;
  }

  private command(name: string, args: string[]): Reply {
    const data = this.store.execute(name, args);
    if (data !== undefined) return data;
    return this.serverCommand(name, args) ?? replyError(`ERR unknown command '${name}', with args beginning with: ${args.slice(0, 3).join(' ')}`);
  }

  /** Non-keyspace commands; `args === null` only asks whether the command exists. */
  private serverCommand(name: string, args: string[] | null): Reply | undefined {
    if (NO_OP_OK.has(name)) return OK;
    switch (name) {
      case 'echo':
        return args?.[0] ?? null;
      case 'info':
        return '# Server\r\nredis_version:7.0.0\r\nredis_mode:standalone\r\n# Persistence\r\nloading:0\r\n';
      case 'publish':
        return args ? this.publish(args[0], args[1] ?? '') : 0;
      case 'eval':
      case 'evalsha':
        return args ? this.evalCommand(name, args) : 0;
      case 'script':
        return args ? this.scriptCommand(args) : 0;
      case 'time': {
        const now = Date.now();
        return [String(Math.floor(now / 1000)), String((now % 1000) * 1000)];
      }
      default:
        return undefined;
    }
  }

  private evalCommand(name: string, args: string[]): Reply {
    const [body, numKeysText, ...rest] = args;
    const numKeys = Number(numKeysText);
    if (body === undefined || !Number.isInteger(numKeys) || numKeys < 0 || numKeys > rest.length) {
      return replyError('ERR Number of keys can\'t be greater than number of args');
    }
    const keys = rest.slice(0, numKeys);
    const argv = rest.slice(numKeys);
    const runner = (cmd: string, cmdArgs: string[]): Reply => {
      if (['eval', 'evalsha', 'multi', 'exec', 'subscribe'].includes(cmd)) return replyError(`ERR This Redis command is not allowed from script`);
      return this.command(cmd, cmdArgs);
    };
    return name === 'eval' ? this.lua.eval(body, keys, argv, runner) : this.lua.evalSha(body, keys, argv, runner);
  }

  private scriptCommand([sub, ...rest]: string[]): Reply {
    switch (sub?.toLowerCase()) {
      case 'load':
        return rest[0] === undefined ? replyError('ERR wrong number of arguments') : this.lua.load(rest[0]);
      case 'exists':
        return rest.map((sha) => (this.lua.exists(sha) ? 1 : 0));
      case 'flush':
        this.lua.flush();
        return OK;
      default:
        return replyError(`ERR unknown SCRIPT subcommand '${sub}'`);
    }
  }

  private publish(channel: string, message: string): number {
    let receivers = 0;
    const payload = encodeReply(['message', channel, message]);
    for (const connection of this.connections) {
      if (!connection.channels.has(channel)) continue;
      receivers += 1;
      // Deliver after the publisher's reply, as a separate Redis server would.
      setImmediate(() => connection.socket.writable && connection.socket.write(payload));
    }
    return receivers;
  }
}
