import autocannon from 'autocannon';
import type { Segment } from '../lib/measure.js';
import { LatencySamples } from '../lib/stats.js';

interface SequencedRequest {
  method: 'GET';
  path: string;
  headers?: Record<string, string>;
}

/** autocannon's `requests` option: each connection walks the list in order, looping. */
interface SequenceOptions extends autocannon.Options {
  requests: SequencedRequest[];
}

/** Like bench/lib runLoad, but every connection cycles through many paths (a mix of IPs). */
export async function runPathLoad(baseUrl: string, paths: readonly string[], headers: Record<string, string>, connections: number, durationSec: number): Promise<Segment> {
  const latencies = new LatencySamples();
  let responses = 0;
  let ok = 0;
  let okBytes = 0;
  const options: SequenceOptions = {
    url: baseUrl,
    connections,
    duration: durationSec,
    pipelining: 1,
    timeout: 10,
    headers,
    requests: paths.map((path) => ({ method: 'GET', path })),
  };
  const instance = autocannon(options);
  instance.on('response', (_client, statusCode, resBytes, responseTimeMs) => {
    responses++;
    if (statusCode >= 200 && statusCode < 300) {
      ok++;
      okBytes += resBytes;
      latencies.push(responseTimeMs);
    }
  });
  const result = await instance;
  return { durationSec: result.duration, responses, ok, non2xx: responses - ok, errors: result.errors, timeouts: result.timeouts, okBytes, latencies };
}
