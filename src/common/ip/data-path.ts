import { join } from 'node:path';
import { projectRoot } from '../util/project-root.js';

/** Absolute path of a file in the repository's top-level `data/` folder. */
export function dataFilePath(name: string): string {
  return join(projectRoot(), 'data', name);
}
