import ts from 'typescript';

/**
 * The SQL statements a source file sends to PostgreSQL, found in its syntax tree (docs/architecture.md
 * "Data access"): the text given to `.query(...)` (the pg pool, a pooled client, or `Db.query`),
 * `.execute(...)`, `$queryRawUnsafe` / `$executeRawUnsafe`, the tagged templates `$queryRaw` /
 * `$executeRaw` (each `${value}` becomes a bind parameter, as Prisma sends it), and every const holding
 * a statement (composed from other consts or not), however it reaches the driver. Read by
 * test/integration/sql-statements.int-spec.ts, which prepares each one against the migrated schema.
 */
export interface SqlStatement {
  file: string;
  line: number;
  text: string;
}

export interface SqlFileScan {
  statements: SqlStatement[];
  /** SQL text assembled at run time (a `${...}` inside a string handed to `.query`): cannot be prepared statically. */
  dynamic: Array<{ file: string; line: number }>;
}

const STATEMENT = /^\s*\(?\s*(SELECT|INSERT|UPDATE|DELETE|WITH|VALUES)\b/;
const TEXT_CALLS = new Set(['query', 'execute', '$queryRawUnsafe', '$executeRawUnsafe']);
const TAGGED = new Set(['$queryRaw', '$executeRaw']);

function literalText(node: ts.Node): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return null;
}

/**
 * Const string declarations of the file (`const SQL = '...'`), with `${NAME}` parts resolved when NAME is
 * such a const too (`const ROWS = \`SELECT ${COLUMNS} FROM ...\``): their text is fixed at load time.
 */
function constStrings(source: ts.SourceFile): Map<string, { text: string; node: ts.Node }> {
  const out = new Map<string, { text: string; node: ts.Node }>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isVariableDeclarationList(node.parent) && node.parent.flags & ts.NodeFlags.Const) {
      const init = node.initializer;
      let text = literalText(init);
      if (text === null && ts.isTemplateExpression(init)) {
        const parts = init.templateSpans.map((span) => (ts.isIdentifier(span.expression) ? out.get(span.expression.text)?.text : undefined));
        if (parts.every((part) => part !== undefined)) text = init.head.text + init.templateSpans.map((span, i) => parts[i] + span.literal.text).join('');
      }
      if (text !== null) out.set(node.name.text, { text, node });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

export function sqlStatementsIn(file: string, code: string): SqlFileScan {
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.ES2022, true);
  const consts = constStrings(source);
  const statements: SqlStatement[] = [];
  const dynamic: Array<{ file: string; line: number }> = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  const seen = new Set<string>();
  const add = (text: string, node: ts.Node) => {
    if (!STATEMENT.test(text) || seen.has(text)) return;
    seen.add(text);
    statements.push({ file, line: lineOf(node), text });
  };
  // SQL held in consts is read wherever it is used (passed through variables, options objects, helpers).
  for (const { text, node } of consts.values()) add(text, node);
  const resolve = (node: ts.Expression): string | null => literalText(node) ?? (ts.isIdentifier(node) ? (consts.get(node.text)?.text ?? null) : null);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && TEXT_CALLS.has(node.expression.name.text) && node.arguments.length > 0) {
      const [first] = node.arguments;
      const text = resolve(first);
      if (text !== null) add(text, node);
      else if (ts.isTemplateExpression(first) && STATEMENT.test(first.head.text)) dynamic.push({ file, line: lineOf(node) });
      else if (ts.isObjectLiteralExpression(first)) {
        const prop = first.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'text');
        const inner = prop ? resolve(prop.initializer) : null;
        if (inner !== null) add(inner, node);
      }
    } else if (ts.isTaggedTemplateExpression(node) && ts.isPropertyAccessExpression(node.tag) && TAGGED.has(node.tag.name.text)) {
      const t = node.template;
      const text = ts.isNoSubstitutionTemplateLiteral(t) ? t.text : [t.head.text, ...t.templateSpans.map((s, i) => `$${i + 1}${s.literal.text}`)].join('');
      add(text, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { statements, dynamic };
}
