import { createSocket, type Socket } from 'node:dgram';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DnsblAnswerer } from './dnsbl-answerer.js';

/** Queries waiting (for a key, plan or lease from the store) beyond this are dropped (the client's resolver retries): bounds memory under a flood. */
export const MAX_IN_FLIGHT = 10_000;

/**
 * The DNSBL zone over UDP, in API processes only (like the lookup runtime: a worker has no HTTP
 * adapter and no lookup index), when QUORUM_DNSBL_PORT is set. Listens on HOST.
 */
@Injectable()
export class DnsblServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Dnsbl');
  private socket: Socket | null = null;
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
        this.logger.log(`DNSBL zone ${this.answerer.zone} on udp ${host}:${socket.address().port}`);
        resolve();
      });
    });
    return this.listening;
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
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
