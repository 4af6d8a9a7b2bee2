import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root: the nearest folder holding package.json above this module. Works from
 * `src/` (tests) and from `dist/src/` (compiled), which sit at different depths.
 */
export function findProjectRoot(fromDir: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = fromDir;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fromDir}`);
    dir = parent;
  }
}

/** Absolute path of a file in the repository's top-level `data/` folder. */
export function dataFilePath(name: string): string {
  return join(findProjectRoot(), 'data', name);
}
