import { freePort, startChildServer, type ChildServerSpec } from './child-server.js';
import { liveChildren } from './processes.js';

const SERVER = `
const http = require('node:http');
const delay = Number(process.env.READY_AFTER_MS || 0);
const started = Date.now();
http.createServer((req, res) => {
  const ready = Date.now() - started >= delay;
  res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ok' : 'wait');
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

function spec(port: number, overrides: Partial<ChildServerSpec> = {}): ChildServerSpec {
  return {
    name: 'tiny',
    command: process.execPath,
    args: ['-e', SERVER],
    env: { PORT: String(port) },
    port,
    readyPath: '/ready',
    timeoutMs: 5000,
    ...overrides,
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(500) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

describe('startChildServer', () => {
  it('waits until the readiness path answers 2xx, and stop ends the process', async () => {
    const port = await freePort();
    const server = await startChildServer(spec(port, { env: { PORT: String(port), READY_AFTER_MS: '300' } }));
    expect(server.baseUrl).toBe(`http://127.0.0.1:${port}`);
    expect(await (await fetch(`${server.baseUrl}/ready`)).text()).toBe('ok');
    await server.stop();
    expect(await answers(`${server.baseUrl}/ready`)).toBe(false);
    expect(liveChildren()).toBe(0);
  });

  it('stops the whole process group, not only the direct child', async () => {
    const port = await freePort();
    const shell = `"${process.execPath}" -e "$SERVER_JS" & wait`;
    const server = await startChildServer(
      spec(port, { command: 'sh', args: ['-c', shell], env: { PORT: String(port), SERVER_JS: SERVER } }),
    );
    await server.stop();
    expect(await answers(`${server.baseUrl}/ready`)).toBe(false);
  });

  it('fails with the output tail when the server exits before being ready', async () => {
    const port = await freePort();
    const failing = spec(port, { args: ['-e', 'console.error("boom: no config"); process.exit(3)'] });
    await expect(startChildServer(failing)).rejects.toThrow(/tiny: exited \(3\)[\s\S]*boom: no config/);
  });

  it('gives up after its timeout and kills the server', async () => {
    const port = await freePort();
    const slow = spec(port, { timeoutMs: 400, env: { PORT: String(port), READY_AFTER_MS: '60000' } });
    await expect(startChildServer(slow)).rejects.toThrow(/not ready after 400 ms \(last: HTTP 503\)/);
    expect(await answers(`http://127.0.0.1:${port}/ready`)).toBe(false);
    expect(liveChildren()).toBe(0);
  });
});
