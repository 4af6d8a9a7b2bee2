import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpProofVerifier, PROOF_PATH_PREFIX } from '../../src/consensus/delisting/proof-verifier.js';

/** A self-signed certificate from Debian's openssl, or the reason there is none. */
function selfSigned(dir: string): { key: Buffer; cert: Buffer } | string {
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=quorum-proof-test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch (error) {
    return `openssl could not make a certificate (${(error as Error).message}); install Debian's openssl package`;
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

const dir = mkdtempSync(join(tmpdir(), 'quorum-proof-'));
const tls = selfSigned(dir);
if (typeof tls === 'string') console.warn(`SKIPPED delisting-proof-verifier: ${tls}`);
const suite = typeof tls === 'string' ? describe.skip : describe;

/**
 * The proof fetch itself, against real HTTP and HTTPS servers on loopback (other ports than 80/443):
 * the scheme that served the token is reported; HTTPS accepts a self-signed certificate; wrong
 * content, other statuses, redirects, oversized and slow answers are refused within the bound.
 */
suite('delisting proof fetch over HTTP and HTTPS', () => {
  const served = new Map<string, { status: number; body: string; delayMs?: number; headers?: Record<string, string> }>();
  const handler = (req: { url?: string }, res: { writeHead(s: number, h?: Record<string, string>): void; end(b?: string): void }): void => {
    const answer = served.get(req.url ?? '');
    if (!answer) {
      res.writeHead(404);
      res.end('not here');
      return;
    }
    const reply = setTimeout(() => {
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body);
    }, answer.delayMs ?? 0);
    reply.unref(); // the slow answer must not keep the test process alive after its connection is closed

  };
  let http: Server;
  let https: Server;
  let httpPort = 0;
  let httpsPort = 0;
  let closedPort = 0;

  beforeAll(async () => {
    const pem = tls as { key: Buffer; cert: Buffer };
    http = createHttpServer(handler);
    https = createHttpsServer({ key: pem.key, cert: pem.cert }, handler);
    httpPort = await listen(http);
    httpsPort = await listen(https);
    const spare = createHttpServer();
    closedPort = await listen(spare);
    await close(spare);
  });
  afterAll(async () => {
    await Promise.all([close(http), close(https)]);
    rmSync(dir, { recursive: true, force: true });
  });

  const verifier = (ports: { httpPort: number; httpsPort: number }, timeoutMs = 2_000) => new HttpProofVerifier({ ...ports, timeoutMs });

  it('reports http when port 80 serves the token, https when only 443 does', async () => {
    served.set(`${PROOF_PATH_PREFIX}req-1`, { status: 200, body: 'quorum-delisting-abc\n' });
    expect(await verifier({ httpPort, httpsPort }).verifyBy('127.0.0.1', 'req-1', 'quorum-delisting-abc')).toBe('http');
    expect(await verifier({ httpPort: closedPort, httpsPort }).verifyBy('127.0.0.1', 'req-1', 'quorum-delisting-abc')).toBe('https');
    expect(await verifier({ httpPort: closedPort, httpsPort }).verify('127.0.0.1', 'req-1', 'quorum-delisting-abc')).toBe(true);
  });

  it('refuses a wrong token, another status, a redirect and nothing listening', async () => {
    served.set(`${PROOF_PATH_PREFIX}req-2`, { status: 200, body: 'someone-else' });
    served.set(`${PROOF_PATH_PREFIX}req-3`, { status: 201, body: 'quorum-delisting-abc' });
    served.set(`${PROOF_PATH_PREFIX}req-4`, { status: 302, body: 'quorum-delisting-abc', headers: { location: `${PROOF_PATH_PREFIX}req-1` } });
    const v = verifier({ httpPort, httpsPort });
    expect(await v.verifyBy('127.0.0.1', 'req-2', 'quorum-delisting-abc')).toBeNull();
    expect(await v.verifyBy('127.0.0.1', 'req-3', 'quorum-delisting-abc')).toBeNull();
    expect(await v.verifyBy('127.0.0.1', 'req-4', 'quorum-delisting-abc')).toBeNull();
    expect(await verifier({ httpPort: closedPort, httpsPort: closedPort }).verifyBy('127.0.0.1', 'req-1', 'quorum-delisting-abc')).toBeNull();
  });

  it('reads at most 1 KiB and gives up on a server slower than its bound', async () => {
    served.set(`${PROOF_PATH_PREFIX}req-5`, { status: 200, body: `quorum-delisting-abc${' '.repeat(5_000)}x` });
    served.set(`${PROOF_PATH_PREFIX}req-6`, { status: 200, body: 'quorum-delisting-abc', delayMs: 3_000 });
    const v = verifier({ httpPort, httpsPort: closedPort }, 500);
    // The token followed by spaces within the first KiB still matches once trimmed; the tail is never read.
    expect(await v.verifyBy('127.0.0.1', 'req-5', 'quorum-delisting-abc')).toBe('http');
    // The token comes after 3 s: without the 500 ms bound this would answer http.
    expect(await v.verifyBy('127.0.0.1', 'req-6', 'quorum-delisting-abc')).toBeNull();
  });
});
