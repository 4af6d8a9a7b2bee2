#!/usr/bin/env node
// Builds the operator dashboard page (web/admin) into dist/web/admin: TypeScript type-checked and
// compiled with the project's own compiler (DOM typings), HTML and CSS copied. Served by Quorum at
// /admin; no CDN, no bundler.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'web', 'admin');
const out = join(root, 'dist', 'web', 'admin');
mkdirSync(out, { recursive: true });
const names = readdirSync(src);
const program = ts.createProgram(
  names.filter((n) => n.endsWith('.ts')).map((n) => join(src, n)),
  {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: [],
    outDir: out,
    rootDir: src,
  },
);
const result = program.emit();
const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
if (diagnostics.length > 0) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  console.error(ts.formatDiagnostics(diagnostics, host));
  process.exit(1);
}
for (const name of names.filter((n) => /\.(html|css)$/.test(n))) copyFileSync(join(src, name), join(out, name));
console.log(`admin dashboard built into ${out}`);
