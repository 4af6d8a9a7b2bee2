import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { projectRoot } from '../../common/util/project-root.js';
import { ownerOf, TABLE_OWNERS } from './table-owners.js';
import { sourceFiles } from '../../../test/support/source-files.js';

/**
 * Table ownership (docs/architecture.md "Table ownership"): every table has one owning domain, and a
 * file of src/<domain>/ names only its own domain's tables, whether through a Prisma delegate
 * (`prisma.ipScore`, `tx.agent`) or in SQL text (string and template literals). No exception list.
 */
const root = projectRoot();
const SRC = join(root, 'src');
/** Not domains: generated client, infrastructure (migration engine, Prisma service). */
const NOT_DOMAINS = new Set(['generated', 'infra']);

/** model name → table name (@@map), from prisma/schema.prisma. */
function schemaTables(): Map<string, string> {
  const text = readFileSync(join(root, 'prisma', 'schema.prisma'), 'utf8');
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const mapped = /@@map\("([^"]+)"\)/.exec(m[2]);
    out.set(m[1], mapped ? mapped[1] : m[1]);
  }
  return out;
}

function migrationTables(): Set<string> {
  const dir = join(root, 'prisma', 'migrations');
  const out = new Set<string>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name, 'migration.sql');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    // `CREATE TABLE IF NOT EXISTS %I` (partitions made by a function) names no table: never read "if" as one.
    for (const m of text.matchAll(/create\s+table\s+(?:if\s+not\s+exists\s+)?(?!if\s)(?:"?public"?\.)?"?([a-z_][a-z0-9_]*)"?/gi)) out.add(m[1].toLowerCase());
    for (const m of text.matchAll(/drop\s+table\s+(?:if\s+exists\s+)?"?([a-z_][a-z0-9_]*)"?/gi)) out.delete(m[1].toLowerCase());
  }
  return out;
}

/** SQL keywords are upper case in this code base (prose in messages is not read as SQL). */
const SQL_TABLE = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE|TRUNCATE)\s+(?:ONLY\s+|IF\s+(?:NOT\s+)?EXISTS\s+)?"?([a-z_][a-z0-9_]*)"?/g;
const DYNAMIC_TABLE = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE|TRUNCATE)\s+"?\$\{/;

interface Finding {
  file: string;
  table: string;
  how: string;
}

/** Every table a source file names: Prisma delegates and SQL text; dynamic names are findings too. */
export function tablesNamedIn(file: string, text: string, delegates: Map<string, string>, known: Set<string>): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out: Finding[] = [];
  const sql = (literal: string, node: ts.Node) => {
    for (const m of literal.matchAll(SQL_TABLE)) {
      const name = m[1].toLowerCase();
      const table = /^signal_p\d{8}$/.test(name) ? 'signal' : name;
      if (known.has(table) || /^signal_p\d{8}$/.test(name)) out.push({ file, table, how: `SQL at line ${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}` });
    }
    if (/information_schema|pg_catalog\.pg_tables/i.test(literal)) out.push({ file, table: '(schema discovery)', how: 'information_schema' });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) sql(node.text, node);
    else if (ts.isTemplateExpression(node)) {
      const whole = [node.head.text, ...node.templateSpans.map((s) => `\${}${s.literal.text}`)].join('');
      if (DYNAMIC_TABLE.test(whole)) out.push({ file, table: '(built at run time)', how: `SQL at line ${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}` });
      sql(whole, node);
    } else if (ts.isPropertyAccessExpression(node) && ts.isPropertyAccessExpression(node.parent) && delegates.has(node.name.text)) {
      const target = node.expression.getText(source);
      if (/(^|\.)(prisma|tx|client|db)$/.test(target)) out.push({ file, table: delegates.get(node.name.text)!, how: `prisma delegate ${node.name.text}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function domainOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts[0];
}

describe('table ownership', () => {
  const models = schemaTables();
  const delegates = new Map([...models].map(([model, table]) => [model[0].toLowerCase() + model.slice(1), table]));
  const schema = new Set(models.values());
  const migrated = migrationTables();
  const known = new Set([...schema, ...migrated, ...Object.keys(TABLE_OWNERS)]);

  it('every table of the schema and the migrations has an owner, and every owned table exists', () => {
    const unowned = [...new Set([...schema, ...migrated])].filter((t) => !ownerOf(t)).sort();
    expect(unowned).toEqual([]);
    const missing = Object.keys(TABLE_OWNERS).filter((t) => !schema.has(t)).sort();
    expect(missing).toEqual([]);
  });

  it('no file of a domain names a table of another domain (Prisma delegates or SQL)', () => {
    const violations: string[] = [];
    for (const dir of readdirSync(SRC)) {
      if (NOT_DOMAINS.has(dir) || !statSync(join(SRC, dir)).isDirectory()) continue;
      for (const file of sourceFiles(join(SRC, dir))) {
        for (const f of tablesNamedIn(file, readFileSync(file, 'utf8'), delegates, known)) {
          const owner = ownerOf(f.table);
          if (owner !== domainOf(file)) violations.push(`${relative(root, file)}: ${f.table} (${owner ?? 'no owner'}) via ${f.how}`);
        }
      }
    }
    expect([...new Set(violations)].sort()).toEqual([]);
  });

  it('the parser sees delegates, SQL text, partitions and run-time table names', () => {
    const text = [
      'async function f(prisma: any, tx: any, t: string) {',
      '  await prisma.ipScore.findMany();',
      '  await tx.agent.update({});',
      "  await prisma.pool.query('SELECT 1 FROM signal_p20260101 s JOIN reporter r ON true');",
      '  await prisma.pool.query(`DELETE FROM "${t}" WHERE x`);',
      '  await prisma.$queryRaw`SELECT count(*) FROM usage_counter WHERE hour >= ${t}`;',
      '}',
    ].join('\n');
    const found = tablesNamedIn('x.ts', text, delegates, known).map((f) => f.table);
    expect(found).toEqual(expect.arrayContaining(['ip_score', 'agent', 'signal', 'reporter', '(built at run time)', 'usage_counter']));
  });
});
