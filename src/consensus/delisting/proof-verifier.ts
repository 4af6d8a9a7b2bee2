import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Which scheme served the proof. */
export type ProofScheme = 'http' | 'https';

/** Where a proof is fetched from: `/.well-known/quorum-delisting/<request id>` on the IP itself. */
export const PROOF_PATH_PREFIX = '/.well-known/quorum-delisting/';

/** Proof that the requester controls an IP: the one-time token served from that IP over HTTP or HTTPS. */
export abstract class ProofVerifier {
  /** The scheme whose `<scheme>://<ip>/.well-known/quorum-delisting/<id>` answered exactly `token`, or null. */
  abstract verifyBy(ip: string, requestId: string, token: string): Promise<ProofScheme | null>;

  async verify(ip: string, requestId: string, token: string): Promise<boolean> {
    return (await this.verifyBy(ip, requestId, token)) !== null;
  }
}

function host(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

/** The URL on the standard port for `scheme` (the one a holder is told to serve). */
export function proofUrl(ip: string, requestId: string, scheme: ProofScheme = 'http'): string {
  return `${scheme}://${host(ip)}${PROOF_PATH_PREFIX}${requestId}`;
}

export interface ProofFetchOptions {
  /** Ports to fetch from (80 and 443; tests serve elsewhere). */
  httpPort: number;
  httpsPort: number;
  timeoutMs: number;
}

const MAX_PROOF_BYTES = 1024;

/**
 * Fetches the proof from the IP itself, over HTTP on port 80 first, then HTTPS on 443: no redirects,
 * a 5 s bound each, at most 1 KiB read. HTTPS certificates are not checked: a server reached by its
 * bare IP rarely has a certificate for it, and the proof is the token, which only someone who controls
 * the address can serve there; TLS only lets holders whose port 80 is closed use the proof.
 */
export class HttpProofVerifier extends ProofVerifier {
  constructor(private readonly options: ProofFetchOptions = { httpPort: 80, httpsPort: 443, timeoutMs: 5_000 }) {
    super();
  }

  async verifyBy(ip: string, requestId: string, token: string): Promise<ProofScheme | null> {
    for (const scheme of ['http', 'https'] as const) {
      const body = await this.fetch(scheme, ip, `${PROOF_PATH_PREFIX}${encodeURIComponent(requestId)}`);
      if (body !== null && body.trim() === token) return scheme;
    }
    return null;
  }

  private fetch(scheme: ProofScheme, ip: string, path: string): Promise<string | null> {
    const port = scheme === 'http' ? this.options.httpPort : this.options.httpsPort;
    const request = scheme === 'http' ? httpRequest : httpsRequest;
    return new Promise((resolve) => {
      let settled = false;
      const done = (value: string | null): void => {
        if (settled) return;
        settled = true;
        resolve(value);
      };
      const req = request(
        {
          host: ip,
          port,
          path,
          method: 'GET',
          headers: { host: host(ip), accept: 'text/plain' },
          timeout: this.options.timeoutMs,
          ...(scheme === 'https' ? { rejectUnauthorized: false } : {}),
        },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            req.destroy();
            return done(null);
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            size += chunk.length;
            if (size >= MAX_PROOF_BYTES) {
              req.destroy();
              done(Buffer.concat(chunks).subarray(0, MAX_PROOF_BYTES).toString('utf8'));
            }
          });
          res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
          res.on('error', () => done(null));
        },
      );
      req.on('timeout', () => {
        req.destroy();
        done(null);
      });
      req.on('error', () => done(null));
      const overall = setTimeout(() => {
        req.destroy();
        done(null);
      }, this.options.timeoutMs);
      overall.unref();
      req.on('close', () => clearTimeout(overall));
      req.end();
    });
  }
}
