/**
 * Bounds for tests that must pass on a busy machine (both cores taken by other work): an app boot
 * (Nest modules, Prisma, Redis, BullMQ, the lookup index) can take tens of seconds there, so hooks
 * that boot or close an app get this much instead of Jest's 5 s default. Bounded, never unlimited.
 */
export const APP_BOOT_TIMEOUT_MS = 120_000;

/**
 * Polls `probe` until it returns something other than null/undefined/false, or fails after
 * `timeoutMs` naming what it waited for. Never a fixed sleep: returns as soon as the condition holds.
 */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
