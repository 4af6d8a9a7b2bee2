import { Agent, request } from 'node:http';

export interface HttpAnswer {
  status: number;
  body: Buffer;
}

/** Minimal keep-alive HTTP/1.1 client: one socket per concurrent caller, no per-request allocation of agents. */
export class KeepAliveClient {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(baseUrl: string, sockets: number) {
    this.url = new URL(baseUrl);
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  }

  post(path: string, headers: Record<string, string>, body: Buffer, timeoutMs = 10_000): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          method: 'POST',
          path,
          headers: { ...headers, 'content-length': String(body.length) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  postJson(path: string, payload: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return this.post(path, { 'content-type': 'application/json', ...headers }, Buffer.from(JSON.stringify(payload)));
  }

  close(): void {
    this.agent.destroy();
  }
}
