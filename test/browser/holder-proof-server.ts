import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpProofVerifier } from '../../src/consensus/delisting/proof-verifier.js';

/**
 * An IP holder's web server for the browser tests of proofs over HTTP: a loopback server that serves
 * what `serve` puts at a path (404 elsewhere), and every address's proof fetched from it over real HTTP
 * by the real verifier (the delisting and the privacy instances alike). Stop it in the file's afterAll.
 */
export interface HolderProofServer {
  serve(path: string, body: string): void;
  stop(): Promise<void>;
}

export async function startHolderProofServer(): Promise<HolderProofServer> {
  const served = new Map<string, string>();
  const server = createServer((req, res) => {
    const body = served.get(req.url ?? '');
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/plain' });
    res.end(body ?? 'no proof here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const loopback = new HttpProofVerifier({ httpPort: port, httpsPort: port, timeoutMs: 5_000 });
  const realFetch = HttpProofVerifier.prototype.verifyBy;
  jest.spyOn(HttpProofVerifier.prototype, 'verifyBy').mockImplementation((_ip, id, token) => realFetch.call(loopback, '127.0.0.1', id, token));
  return {
    serve: (path, body) => served.set(path, body),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
