import { ProbeModule } from '../support/probe.module.js';
import { listenTestApp } from '../setup/test-app.js';

describe('graceful shutdown', () => {
  it('finishes in-flight requests before closing, then refuses new connections', async () => {
    const t = await listenTestApp({}, { extraModules: [ProbeModule] });
    const inFlight = fetch(`${t.url}/test-probe/slow`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const closing = t.close();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closing;
    await expect(fetch(`${t.url}/healthz`)).rejects.toThrow();
  }, 15_000);
});
