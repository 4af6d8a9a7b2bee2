import { Agent, request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes on the wire (not decoded: a gzip answer stays gzip). */
  body: Buffer;
  ms: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

export function getRaw(baseUrl: string, path: string, headers: Record<string, string>, timeoutMs = 60_000): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: url.hostname, port: url.port, method: 'GET', path, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Polls `path` until it answers 200 (an API process still loading answers 503, or 410 for a version it lacks). */
export async function waitFor200(baseUrl: string, path: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const answer = await getRaw(baseUrl, path, headers);
    if (answer.status === 200) return performance.now() - started;
    if (performance.now() - started > timeoutMs) {
      throw new Error(`${path} still answers ${answer.status} after ${timeoutMs} ms: ${answer.body.toString('utf8').slice(0, 200)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function closeHttp(): void {
  agent.destroy();
}
