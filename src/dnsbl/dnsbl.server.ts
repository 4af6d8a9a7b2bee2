import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DnsblAnswerer } from './dnsbl-answerer.js';

/** Queries waiting (for a key, plan or lease from the store) beyond this are dropped (the client's resolver retries): bounds memory under a flood. */
export const MAX_IN_FLIGHT = 10_000;
/** TCP (RFC 7766): idle connections are closed after this, at most this many connections and unanswered queries per connection. */
export const TCP_IDLE_MS = 10_000;
export const TCP_MAX_CONNECTIONS = 1_000;
const TCP_MAX_PENDING = 64;

/**
 * The DNSBL zone over UDP and TCP (the same port), in API processes only (like the lookup runtime: a
 * worker has no HTTP adapter and no lookup index), when QUORUM_DNSBL_PORT is set. Listens on HOST.
 * TCP carries length-prefixed queries (RFC 1035 §4.2.2), several per connection, answered as they
 * complete (RFC 7766); a client retries there after a truncated UDP answer.
 */
@Injectable()
export class DnsblServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Dnsbl');
  private socket: Socket | null = null;
  private tcp: Server | null = null;
  private readonly connections = new Set<TcpSocket>();
  private inFlight = 0;
  private listening: Promise<void> | null = null;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly answerer: DnsblAnswerer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): Promise<void> | void {
    const port = this.config.lookup.dnsblPort;
    if (port === undefined || !this.adapterHost.httpAdapter) return;
    const host = this.config.http.host;
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
    this.socket = socket;
    socket.on('message', (datagram, peer) => this.onMessage(socket, datagram, peer.address, peer.port));
    socket.on('error', (error) => this.logger.warn(`DNSBL socket: ${error.message}`));
    this.listening = new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        const bound = socket.address().port;
        const tcp = createServer((connection) => this.onConnection(connection));
        tcp.maxConnections = TCP_MAX_CONNECTIONS;
        this.tcp = tcp;
        tcp.once('error', reject);
        tcp.listen(bound, host, () => {
          tcp.off('error', reject);
          tcp.on('error', (error) => this.logger.warn(`DNSBL TCP: ${error.message}`));
          this.logger.log(`DNSBL zone ${this.answerer.zone} on udp and tcp ${host}:${bound}`);
          resolve();
        });
      });
    });
    return this.listening;
  }

  /** Length-prefixed queries on one TCP connection; each answer is written as soon as it is ready. */
  private onConnection(connection: TcpSocket): void {
    this.connections.add(connection);
    connection.setNoDelay(true);
    connection.setTimeout(TCP_IDLE_MS, () => connection.destroy());
    connection.on('error', () => connection.destroy());
    connection.on('close', () => this.connections.delete(connection));
    let buffered: Buffer = Buffer.alloc(0);
    let pending = 0;
    const send = (response: Buffer | null): void => {
      if (!response || connection.destroyed) return;
      const prefix = Buffer.allocUnsafe(2);
      prefix.writeUInt16BE(response.length, 0);
      connection.write(Buffer.concat([prefix, response]));
    };
    connection.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) break;
        const message = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        if (pending >= TCP_MAX_PENDING || this.inFlight >= MAX_IN_FLIGHT) {
          connection.destroy();
          return;
        }
        let response: Buffer | null | Promise<Buffer | null>;
        try {
          response = this.answerer.respond(message, 'tcp');
        } catch (error) {
          this.logger.warn(`DNSBL answer: ${(error as Error).message}`);
          continue;
        }
        if (!(response instanceof Promise)) {
          // An unreadable message ends the connection (the stream can no longer be trusted to be framed).
          if (response === null) {
            connection.destroy();
            return;
          }
          send(response);
          continue;
        }
        pending++;
        this.inFlight++;
        response
          .then(send)
          .catch((error: Error) => this.logger.warn(`DNSBL answer: ${error.message}`))
          .finally(() => {
            pending--;
            this.inFlight--;
          });
      }
    });
  }

  /** The bound TCP port (the UDP one; null when off). */
  get tcpPort(): number | null {
    const address = this.tcp?.address();
    return address && typeof address === 'object' ? address.port : null;
  }

  /** The bound UDP port (null when off). */
  get port(): number | null {
    return this.socket ? this.socket.address().port : null;
  }

  private onMessage(socket: Socket, datagram: Buffer, address: string, port: number): void {
    if (this.inFlight >= MAX_IN_FLIGHT) return;
    let response: Buffer | null | Promise<Buffer | null>;
    try {
      response = this.answerer.respond(datagram);
    } catch (error) {
      this.logger.warn(`DNSBL answer: ${(error as Error).message}`);
      return;
    }
    if (!(response instanceof Promise)) {
      if (response) socket.send(response, port, address);
      return;
    }
    this.inFlight++;
    response
      .then((r) => {
        if (r && this.socket === socket) socket.send(r, port, address);
      })
      .catch((error: Error) => this.logger.warn(`DNSBL answer: ${error.message}`))
      .finally(() => {
        this.inFlight--;
      });
  }

  async beforeApplicationShutdown(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    await this.listening?.catch(() => undefined);
    const tcp = this.tcp;
    this.tcp = null;
    for (const connection of this.connections) connection.destroy();
    if (tcp) await new Promise<void>((resolve) => tcp.close(() => resolve()));
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
