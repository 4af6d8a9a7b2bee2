import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PrismaPaths {
  root: string;
  schemaPath: string;
  migrationsDir: string;
}

/** Walks up from `startDir` to the folder holding package.json (works from src/ and dist/src/). */
export function findProjectRoot(startDir: string): string {
  let dir = startDir;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${startDir}`);
    dir = parent;
  }
}

export function defaultPrismaPaths(): PrismaPaths {
  const root = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
  return {
    root,
    schemaPath: join(root, 'prisma', 'schema.prisma'),
    migrationsDir: join(root, 'prisma', 'migrations'),
  };
}
