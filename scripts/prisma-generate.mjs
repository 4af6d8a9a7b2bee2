#!/usr/bin/env node
// Runs `prisma generate` without network access. The Prisma CLI downloads the native schema engine
// before any command, even `generate`, which never uses it: pointing PRISMA_SCHEMA_ENGINE_BINARY at an
// existing file skips the download. Output: src/generated/prisma (see the generator in prisma/schema.prisma).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const cli = require.resolve('prisma/build/index.js');
const engineStub = join(root, 'prisma', 'engine-stub.sh');
const schema = join(root, 'prisma', 'schema.prisma');
const output = join(root, 'src', 'generated', 'prisma');

for (const file of [engineStub, schema]) {
  if (!existsSync(file)) fail(`missing ${file}`);
}

const result = spawnSync(process.execPath, [cli, 'generate', '--schema', schema], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: engineStub,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});

if (result.error) fail(`could not start the Prisma CLI: ${result.error.message}`);
if (result.status !== 0) fail(`prisma generate exited with ${result.signal ?? `code ${result.status}`}`);
if (!existsSync(join(output, 'client.ts'))) fail(`prisma generate succeeded but ${output}/client.ts is missing`);

function fail(message) {
  console.error(`prisma-generate: ${message}`);
  process.exit(1);
}
