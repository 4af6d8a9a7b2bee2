/**
 * Apps and workers a test file boots are tracked here, so that one whose boot outlived the hook that
 * started it (a hook timeout on a busy machine) is still closed when the file ends: otherwise its
 * timers and connections keep running after Jest tears the file down, and the whole run never exits.
 * Tests close what they open as before; closing is made idempotent, and the test environment
 * (test/setup/quorum-environment.cjs) closes whatever is still open after the file's last hook.
 */
export interface Closable {
  close(): Promise<void>;
}

interface TrackedBoot {
  boot: Promise<Closable | undefined>;
  closed(): boolean;
}

const REGISTRY = '__quorumTrackedBoots';

function registry(): Set<TrackedBoot> {
  const holder = globalThis as unknown as Record<string, Set<TrackedBoot> | undefined>;
  holder[REGISTRY] ??= new Set<TrackedBoot>();
  return holder[REGISTRY];
}

/** Registers a boot in progress; the app it yields closes at most once, however often close() is called. */
export function trackBoot<T extends Closable>(boot: Promise<T>): Promise<T> {
  let closing: Promise<void> | undefined;
  const once = boot.then((app) => {
    const close = app.close.bind(app);
    app.close = () => (closing ??= close());
    return app;
  });
  registry().add({ boot: once.catch(() => undefined), closed: () => closing !== undefined });
  return once;
}
