import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The repository/package root: the nearest folder holding package.json above this module, which sits at
 * different depths in src/ (tests), dist/src/ (the build) and a bench run (dist/bench imports it too).
 * The one project-root helper of the service, the benchmarks and the tests.
 */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('project root not found');
    dir = parent;
  }
  cached = dir;
  return dir;
}
