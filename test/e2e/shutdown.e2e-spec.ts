import { ProbeModule, slowGate } from '../support/probe.module.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';
import { waitFor } from '../support/waits.js';

describe('graceful shutdown', () => {
  let t: (TestApp & { url: string }) | undefined;
  let closing: Promise<void> | undefined;

  // The boot belongs to the hook (the shared, generous boot bound): on a busy machine it alone takes
  // over 20 s, which is what made a 15 s bound on the whole test fail.
  beforeAll(async () => {
    t = await listenTestApp({}, { extraModules: [ProbeModule] });
  });
  afterAll(async () => {
    slowGate.open();
    await (closing ?? t?.close());
  });

  it('finishes in-flight requests before closing, then refuses new connections', async () => {
    const app = t!;
    const inFlight = fetch(`${app.url}/test-probe/slow`);
    await waitFor('the slow request inside its handler', 30_000, () => slowGate.entered === 1);
    let closed = false;
    closing = app.close().then(() => {
      closed = true;
    });
    // The listener goes away while the request is still held: no new connection is accepted...
    await waitFor('the listener to refuse new connections', 30_000, () => fetch(`${app.url}/healthz`).then(() => false, () => true));
    // ...but the close waits for the request in flight, which answers normally once it may.
    expect(closed).toBe(false);
    slowGate.open();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closing;
    expect(closed).toBe(true);
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
  }, 60_000);
});
