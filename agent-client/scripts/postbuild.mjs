// tsc writes every file with mode 0644: the bin must be executable for a symlink or `npm link` to run it.
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

chmodSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src', 'cli.js'), 0o755);
