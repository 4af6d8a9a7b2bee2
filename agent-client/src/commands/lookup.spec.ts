import { Readable } from 'node:stream';

import type { FetchLike } from '../http/http-request.js';
import { runCli } from './cli-main.js';

describe('quorum-agent lookup', () => {
  let out: string;
  let err: string;
  let seen: { url: string; headers: Record<string, string> }[];

  const fetchStub =
    (status: number, body: string): FetchLike =>
    async (input, init) => {
      seen.push({ url: String(input), headers: (init?.headers ?? {}) as Record<string, string> });
      return new Response(body, { status, headers: { 'content-type': 'application/json' } });
    };

  const run = (args: string[], fetchImpl: FetchLike, env: Record<string, string> = {}) =>
    runCli(
      ['lookup', ...args],
      { out: (t) => void (out += t), err: (t) => void (err += t), env },
      { stdin: Readable.from([]), stop: Promise.resolve(), fetchImpl },
    );

  beforeEach(() => {
    out = '';
    err = '';
    seen = [];
  });

  it('sends the API key and prints the JSON answer', async () => {
    const answer = { ip: '185.1.2.3', listed: true, score: 4.2 };
    expect(await run(['185.1.2.3', '--server', 'http://q.test/', '--api-key', 'k-123'], fetchStub(200, JSON.stringify(answer)))).toBe(0);
    expect(seen).toEqual([{ url: 'http://q.test/v1/ip/185.1.2.3', headers: expect.objectContaining({ 'x-api-key': 'k-123' }) }]);
    expect(JSON.parse(out)).toEqual(answer);
  });

  it('takes the key from $QUORUM_API_KEY and escapes IPv6 in the path', async () => {
    expect(await run(['2001:db8::1', '--server', 'http://q.test'], fetchStub(200, '{}'), { QUORUM_API_KEY: 'env-key' })).toBe(0);
    expect(seen[0]).toEqual({ url: 'http://q.test/v1/ip/2001%3Adb8%3A%3A1', headers: expect.objectContaining({ 'x-api-key': 'env-key' }) });
  });

  it('prints an error answer on stderr with status 1', async () => {
    expect(await run(['185.1.2.3', '--server', 'http://q.test', '--api-key', 'bad'], fetchStub(401, '{"code":"invalid_api_key"}'))).toBe(1);
    expect(JSON.parse(err)).toEqual({ code: 'invalid_api_key' });
    expect(out).toBe('');
  });

  it('refuses a bad address or a missing key before any request', async () => {
    expect(await run(['not-an-ip', '--server', 'http://q.test', '--api-key', 'k'], fetchStub(200, '{}'))).toBe(1);
    expect(await run(['185.1.2.3', '--server', 'http://q.test'], fetchStub(200, '{}'))).toBe(1);
    expect(err).toContain('not an IP address');
    expect(err).toContain('API key');
    expect(seen).toHaveLength(0);
  });
});
