import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { batchBody, type GeneratedSignal, signedHeaders } from '../ingest/batches.js';
import type { BenchAgent } from '../ingest/bench-data.js';
import { LatencySamples } from '../lib/stats.js';

export type RequestClass = 'signals' | 'lookup' | 'delta';
export const REQUEST_CLASSES: readonly RequestClass[] = ['signals', 'lookup', 'delta'];

export interface MixedLoadSpec {
  baseUrl: string;
  agents: readonly BenchAgent[];
  apiKey: string;
  /** The IPs signals and lookups draw from. */
  pool: readonly string[];
  signalsPerSec: number;
  batchSize: number;
  lookupsPerSec: number;
  deltaPollsPerSec: number;
}

export interface ClassWindow {
  latencies: LatencySamples;
  ok: number;
  failed: number;
  /** Requests not sent because too many were already waiting for an answer (the server is saturated). */
  shed: number;
}

const MAX_IN_FLIGHT: Record<RequestClass, number> = { signals: 400, lookup: 1_000, delta: 20 };
const TIMEOUT_MS = 30_000;

/**
 * Open-loop mixed load: requests are sent at fixed rates whatever the answers take (a slow server
 * does not slow the load, as with real agents), with a cap on requests in flight per class. Latency
 * is measured per request class into windows that the caller takes (one per minute).
 */
export class MixedLoad {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 256 });
  private readonly url: URL;
  private windows = newWindows();
  private readonly inFlight: Record<RequestClass, number> = { signals: 0, lookup: 0, delta: 0 };
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private sent: Record<RequestClass, number> = { signals: 0, lookup: 0, delta: 0 };
  private since = 0;
  private random: () => number;
  private nextAgent = 0;
  acceptedSignals = 0;

  constructor(private spec: MixedLoadSpec, seed = 42) {
    this.url = new URL(spec.baseUrl);
    let s = seed >>> 0;
    this.random = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  /** Changes the signal rate (the throughput ceiling search); the other classes keep theirs. */
  setSignalsPerSec(rate: number): void {
    this.restartSchedule();
    this.spec = { ...this.spec, signalsPerSec: rate };
  }

  start(): void {
    this.restartSchedule();
    this.timer = setInterval(() => this.fire(), 5);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const deadline = Date.now() + TIMEOUT_MS;
    while (this.inFlight.signals + this.inFlight.lookup + this.inFlight.delta > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): void {
    this.agent.destroy();
  }

  /** The measurements since the last call. */
  takeWindow(): Record<RequestClass, ClassWindow> {
    const out = this.windows;
    this.windows = newWindows();
    return out;
  }

  private restartSchedule(): void {
    this.startedAt = performance.now();
    this.sent = { signals: 0, lookup: 0, delta: 0 };
  }

  private fire(): void {
    const elapsedSec = (performance.now() - this.startedAt) / 1000;
    const due: Record<RequestClass, number> = {
      signals: Math.floor((elapsedSec * this.spec.signalsPerSec) / this.spec.batchSize),
      lookup: Math.floor(elapsedSec * this.spec.lookupsPerSec),
      delta: Math.floor(elapsedSec * this.spec.deltaPollsPerSec),
    };
    for (const cls of REQUEST_CLASSES) {
      while (this.sent[cls] < due[cls]) {
        this.sent[cls]++;
        if (this.inFlight[cls] >= MAX_IN_FLIGHT[cls]) {
          this.windows[cls].shed++;
          continue;
        }
        this.send(cls);
      }
    }
  }

  private send(cls: RequestClass): void {
    this.inFlight[cls]++;
    const started = performance.now();
    const done = (status: number, body: Buffer | null) => {
      this.inFlight[cls]--;
      const w = this.windows[cls];
      if (status >= 200 && status < 300) {
        w.ok++;
        w.latencies.push(performance.now() - started);
        if (cls === 'delta' && body) this.since = deltaVersion(body) ?? this.since;
        if (cls === 'signals') this.acceptedSignals += this.spec.batchSize;
      } else {
        w.failed++;
        // A cursor the service no longer answers (410): start again from the current version.
        if (cls === 'delta' && status === 410) this.since = 0;
      }
    };
    if (cls === 'signals') {
      const agent = this.spec.agents[this.nextAgent++ % this.spec.agents.length];
      const now = Date.now();
      const signals: GeneratedSignal[] = [];
      const startedAt = new Date(now - 60_000).toISOString();
      const stoppedAt = new Date(now - 1_000).toISOString();
      for (let i = 0; i < this.spec.batchSize; i++) signals.push({ ip: this.pick(), uuid: randomUUID(), startedAt, stoppedAt });
      const body = batchBody(signals);
      this.http('POST', '/v1/signals', signedHeaders(agent.id, agent.token, agent.privateKey, body), body, done);
    } else if (cls === 'lookup') {
      this.http('GET', `/v1/ip/${this.pick()}`, { 'x-api-key': this.spec.apiKey }, null, done);
    } else {
      const agent = this.spec.agents[0];
      this.http('GET', `/v1/blocklist/changes?since=${this.since}`, { authorization: `Bearer ${agent.token}` }, null, done);
    }
  }

  private pick(): string {
    return this.spec.pool[Math.floor(this.random() * this.spec.pool.length)];
  }

  private http(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body: Buffer | null, done: (status: number, body: Buffer | null) => void): void {
    let finished = false;
    const finish = (status: number, answer: Buffer | null) => {
      if (finished) return;
      finished = true;
      done(status, answer);
    };
    const req = request(
      {
        agent: this.agent,
        host: this.url.hostname,
        port: this.url.port,
        method,
        path,
        headers: body ? { ...headers, 'content-length': String(body.length) } : headers,
        timeout: TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => finish(res.statusCode ?? 0, Buffer.concat(chunks)));
        res.on('error', () => finish(0, null));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => finish(0, null));
    req.end(body ?? undefined);
  }
}

function newWindows(): Record<RequestClass, ClassWindow> {
  const w = (): ClassWindow => ({ latencies: new LatencySamples(), ok: 0, failed: 0, shed: 0 });
  return { signals: w(), lookup: w(), delta: w() };
}

/** The `version` a delta answer moves the client to (the body starts with it). */
export function deltaVersion(body: Buffer): number | null {
  const match = /^\{"version":(\d+)/.exec(body.subarray(0, 40).toString('utf8'));
  return match ? Number(match[1]) : null;
}
