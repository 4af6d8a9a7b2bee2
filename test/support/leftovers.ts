import { NestApplicationContext } from '@nestjs/core';

/**
 * Apps and workers a test file boots are tracked here, so that one whose boot outlived the hook that
 * started it (a hook timeout on a busy machine) is still closed when the file ends: otherwise its
 * timers and connections keep running after Jest tears the file down, and the whole run never exits.
 * Tests close what they open as before; the test environment (test/setup/quorum-environment.cjs)
 * closes whatever is still open after the file's last hook.
 *
 * Nest hands out its applications behind a proxy that ignores property writes, so a closed one is
 * recognised by a mark its own close() leaves on the application (patched once per test file, whose
 * module registry is its own).
 */
export interface Closable {
  close(): Promise<void>;
}

interface TrackedBoot {
  boot: Promise<Closable | undefined>;
  closed(app: Closable): boolean;
}

const REGISTRY = '__quorumTrackedBoots';
const CLOSED = '__quorumClosed';

const prototype = NestApplicationContext.prototype as unknown as { close: (...args: unknown[]) => Promise<void> } & Record<string, unknown>;
if (!prototype[CLOSED]) {
  const close = prototype.close;
  prototype.close = function markClosed(this: Record<string, unknown>, ...args: unknown[]) {
    // defineProperty, not assignment: called through Nest's proxy, an assignment would hit its set trap
    Object.defineProperty(this, CLOSED, { value: true, configurable: true, writable: true });
    return close.apply(this, args);
  };
  prototype[CLOSED] = false;
}

function registry(): Set<TrackedBoot> {
  const holder = globalThis as unknown as Record<string, Set<TrackedBoot> | undefined>;
  holder[REGISTRY] ??= new Set<TrackedBoot>();
  return holder[REGISTRY];
}

/** Registers a boot in progress; returns it unchanged. */
export function trackBoot<T extends Closable>(boot: Promise<T>): Promise<T> {
  registry().add({ boot: boot.catch(() => undefined), closed: (app) => (app as unknown as Record<string, unknown>)[CLOSED] === true });
  return boot;
}
