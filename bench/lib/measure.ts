import autocannon from 'autocannon';
import { LatencySamples } from './stats.js';

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  headers?: Readonly<Record<string, string>>;
  body?: string | Buffer;
}

export interface LoadOptions {
  connections: number;
  durationSec: number;
}

/** What one autocannon run against one server observed. */
export interface Segment {
  durationSec: number;
  responses: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  okBytes: number;
  /** Response times of the 2xx answers, in ms. */
  latencies: LatencySamples;
}

export async function runLoad(baseUrl: string, request: RequestSpec, load: LoadOptions): Promise<Segment> {
  const latencies = new LatencySamples();
  let responses = 0;
  let ok = 0;
  let okBytes = 0;
  const instance = autocannon({
    url: `${baseUrl}${request.path}`,
    method: request.method,
    headers: request.headers ? { ...request.headers } : undefined,
    body: request.body,
    connections: load.connections,
    duration: load.durationSec,
    pipelining: 1,
    timeout: 10,
  });
  instance.on('response', (_client, statusCode, resBytes, responseTimeMs) => {
    responses++;
    if (statusCode >= 200 && statusCode < 300) {
      ok++;
      okBytes += resBytes;
      latencies.push(responseTimeMs);
    }
  });
  const result = await instance;
  return {
    durationSec: result.duration,
    responses,
    ok,
    non2xx: responses - ok,
    // autocannon counts a timeout as an error too
    errors: result.errors,
    timeouts: result.timeouts,
    okBytes,
    latencies,
  };
}

export interface ProbeResult {
  status: number;
  contentType: string;
  body: Buffer;
}

export async function probe(baseUrl: string, request: RequestSpec): Promise<ProbeResult> {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(5000),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: Buffer.from(await response.arrayBuffer()),
  };
}
