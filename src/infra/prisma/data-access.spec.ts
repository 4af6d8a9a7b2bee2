import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../../common/util/project-root.js';
import { sourceFiles } from '../../../test/support/source-files.js';

/**
 * One way to reach the database (docs/architecture.md "Data access"): repositories use `PrismaService.db`
 * (Prisma delegates through `db.prisma`, raw SQL through `db.query` / `db.execute`) and
 * `PrismaService.transaction`. Files written before the helper existed are listed below by the style
 * they still use; the lists may only shrink: a new file using an old style fails, and so does a listed
 * file that no longer uses it (remove it from the list when converting it).
 */
const root = projectRoot();

const STYLES: Record<string, { pattern: RegExp; why: string }> = {
  pool: { pattern: /\bprisma\.pool\b|\.pool\.(?:query|connect)\b/, why: 'raw SQL on the pg pool: use db.query / db.execute' },
  prismaTransaction: { pattern: /\.\$transaction\b/, why: 'a Prisma-only transaction: use PrismaService.transaction' },
  taggedRaw: { pattern: /\.\$(?:queryRaw|executeRaw)\b(?!Unsafe)/, why: 'tagged Prisma raw SQL: use db.query / db.execute' },
  unsafeRaw: { pattern: /\.\$(?:queryRawUnsafe|executeRawUnsafe)\b/, why: 'unchecked raw SQL: use db.query / db.execute' },
};

/** Not yet converted (docs/architecture.md "Data access"); shrink only. */
const LEGACY: Record<keyof typeof STYLES, string[]> = {
  pool: [],
  prismaTransaction: [],
  taggedRaw: [],
  unsafeRaw: [],
};

describe('data access: one style', () => {
  const files = sourceFiles(join(root, 'src'), new Set(['generated']))
    .map((path) => ({ name: relative(root, path).split('\\').join('/'), text: readFileSync(path, 'utf8') }))
    .filter((f) => !f.name.startsWith('src/infra/prisma/'));

  it.each(Object.keys(STYLES))('%s: no new file uses it, and the legacy list is exact', (style) => {
    const { pattern, why } = STYLES[style];
    const using = files.filter((f) => pattern.test(f.text)).map((f) => f.name).sort();
    const legacy = [...LEGACY[style]].sort();
    expect({ style, why, files: using }).toEqual({ style, why, files: legacy });
  });

  it('the patterns see each style', () => {
    const samples: Record<string, string> = {
      pool: 'await this.prisma.pool.query(text)',
      prismaTransaction: 'return this.prisma.$transaction(async (tx) => 1)',
      taggedRaw: 'await this.prisma.$queryRaw`SELECT 1`',
      unsafeRaw: "await this.prisma.$executeRawUnsafe('DELETE FROM x')",
    };
    for (const [style, sample] of Object.entries(samples)) expect(STYLES[style].pattern.test(sample)).toBe(true);
    expect(Object.values(STYLES).some((s) => s.pattern.test("await this.prisma.db.query('SELECT 1'); await this.prisma.transaction(async (tx) => tx.execute('DELETE FROM x'))"))).toBe(false);
  });
});
