#!/usr/bin/env node
// The single entry point of the built service: `quorum api | worker | all | migrate | openapi | simulate`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('quorum: the build is missing. Run `npm install && npm run build` first (or `npm start`).\n');
  process.exit(1);
}
const { runCli } = await import(entry.href);
runCli(process.argv.slice(2));
