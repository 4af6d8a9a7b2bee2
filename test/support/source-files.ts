import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The TypeScript sources under `dir` (no specs, no declaration files), for the tests that read the
 * code itself (table ownership, data-access style, SQL against the schema); folders named in `skip`
 * are not entered.
 */
export function sourceFiles(dir: string, skip: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!skip.has(name)) out.push(...sourceFiles(path, skip));
    } else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}
