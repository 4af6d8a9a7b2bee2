import { execFileSync } from 'node:child_process';

/** Runs `ip` with the given arguments; throws with its stderr on failure. */
export function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Creates the network namespace `ns` for a test; returns null, or why namespaces cannot be used here
 * (the caller skips with that reason printed).
 */
export function addNamespace(ns: string): string | null {
  try {
    ip('netns', 'add', ns);
    return null;
  } catch (error) {
    return `network namespaces unavailable (${(error as Error).message.split('\n')[0]})`;
  }
}

/** Deletes the namespace (which destroys a veth pair with one end inside) and the host end if it survived. */
export function removeNamespace(ns: string, hostIf: string): void {
  for (const args of [['netns', 'del', ns], ['link', 'del', hostIf]]) {
    try {
      ip(...args);
    } catch {
      // not created, or gone with the namespace
    }
  }
}
