import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
/** Frontend messages after which the backend answers (a group runs as one unit on PGlite). */
const GROUP_END = new Set(['S', 'Q', 'H', 'c', 'f', 'X']);

interface Connection {
  readonly socket: Socket;
  buffer: Buffer;
  started: boolean;
  listens: boolean;
  closed: boolean;
}
interface Group {
  readonly connection: Connection;
  readonly bytes: Buffer;
}

/**
 * Serves one PGlite database to many PostgreSQL wire-protocol clients. PGlite is a single backend
 * session, so whole message groups (up to Sync/Query) run one at a time, never interleaved (an
 * unnamed prepared statement of one client must not meet another client's Bind), and once a group
 * leaves the session inside a transaction or a COPY, only that client runs until the session is idle
 * again. Notifications go to the clients that issued LISTEN.
 */
export class PGliteWireServer {
  private server: Server | null = null;
  private readonly connections = new Set<Connection>();
  private queue: Group[] = [];
  private owner: Connection | null = null;
  private running = false;

  constructor(private readonly db: PGlite) {}

  async start(port = 0): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.socket.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    while (this.running) await new Promise((r) => setTimeout(r, 10));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const connection: Connection = { socket, buffer: Buffer.alloc(0), started: false, listens: false, closed: false };
    this.connections.add(connection);
    socket.on('data', (chunk: Buffer) => this.receive(connection, chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => void this.drop(connection));
  }

  private receive(connection: Connection, chunk: Buffer): void {
    connection.buffer = Buffer.concat([connection.buffer, chunk]);
    for (;;) {
      const buf = connection.buffer;
      if (!connection.started) {
        if (buf.length < 8) return;
        const length = buf.readInt32BE(0);
        if (buf.length < length) return;
        const code = buf.readInt32BE(4);
        connection.buffer = buf.subarray(length);
        if (code === SSL_REQUEST) connection.socket.write('N');
        else if (code === CANCEL_REQUEST) connection.socket.end();
        else {
          connection.started = true;
          this.enqueue(connection, Buffer.from(buf.subarray(0, length)));
        }
        continue;
      }
      // Messages up to the end of a group: type byte + int32 length (which counts itself).
      let pos = 0;
      let end = -1;
      while (buf.length >= pos + 5) {
        const next = pos + 1 + buf.readInt32BE(pos + 1);
        if (buf.length < next) break;
        const type = String.fromCharCode(buf[pos]);
        if (type === 'Q' || type === 'P') {
          const text = buf.subarray(pos + 5, next).toString();
          if (/\bLISTEN\s/i.test(text)) connection.listens = true;
        }
        pos = next;
        if (GROUP_END.has(type)) {
          end = pos;
          break;
        }
      }
      if (end < 0) return;
      connection.buffer = buf.subarray(end);
      this.enqueue(connection, Buffer.from(buf.subarray(0, end)));
    }
  }

  private enqueue(connection: Connection, bytes: Buffer): void {
    this.queue.push({ connection, bytes });
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const index = this.owner ? this.queue.findIndex((g) => g.connection === this.owner) : 0;
        if (index < 0 || this.queue.length === 0) return;
        const [group] = this.queue.splice(index, 1);
        await this.run(group);
      }
    } finally {
      this.running = false;
    }
  }

  private async run({ connection, bytes }: Group): Promise<void> {
    if (connection.closed) return;
    if (bytes[0] === 0x58 /* 'X' Terminate */ && bytes.length === 5) {
      connection.socket.end();
      return;
    }
    const chunks: Uint8Array[] = [];
    try {
      await this.db.runExclusive(() => this.db.execProtocolRawStream(new Uint8Array(bytes), { onRawData: (data) => chunks.push(data.slice()) }));
    } catch (error) {
      connection.socket.destroy(error as Error);
      return;
    }
    const { own, notifications, idle } = splitOutput(Buffer.concat(chunks));
    this.owner = idle ? null : connection;
    if (!connection.closed && own.length > 0) connection.socket.write(own);
    if (notifications.length > 0) {
      for (const other of this.connections) if (other.listens && !other.closed) other.socket.write(notifications);
    }
  }

  private async drop(connection: Connection): Promise<void> {
    connection.closed = true;
    this.connections.delete(connection);
    this.queue = this.queue.filter((g) => g.connection !== connection);
    if (this.owner === connection) {
      // The client left inside a transaction (or a COPY): end it so the session serves the others.
      this.owner = null;
      this.queue.unshift({ connection: detachedConnection(), bytes: queryMessage('ROLLBACK') });
    }
    await this.pump();
  }
}

/** Output of a group: the client's own messages, NotificationResponse messages, idle after it. */
function splitOutput(out: Buffer): { own: Buffer; notifications: Buffer; idle: boolean } {
  const own: Buffer[] = [];
  const notes: Buffer[] = [];
  let idle = false;
  let pos = 0;
  while (out.length >= pos + 5) {
    const next = pos + 1 + out.readInt32BE(pos + 1);
    const message = out.subarray(pos, next);
    const type = String.fromCharCode(out[pos]);
    if (type === 'A') notes.push(message);
    else own.push(message);
    idle = type === 'Z' ? out[pos + 5] === 0x49 /* 'I' */ : false;
    pos = next;
  }
  return { own: Buffer.concat(own), notifications: Buffer.concat(notes), idle };
}

function queryMessage(sql: string): Buffer {
  const text = Buffer.from(`${sql}\0`);
  const header = Buffer.alloc(5);
  header.write('Q', 0);
  header.writeInt32BE(4 + text.length, 1);
  return Buffer.concat([header, text]);
}

/** Runs a statement on behalf of no client: its answer is discarded. */
function detachedConnection(): Connection {
  const socket = new PassThrough() as unknown as Socket;
  socket.resume();
  return { socket, buffer: Buffer.alloc(0), started: true, listens: false, closed: false };
}
