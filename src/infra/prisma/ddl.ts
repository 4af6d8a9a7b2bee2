/**
 * DDL text for `Db.ddl` (docs/architecture.md "Data access"). DDL takes no bind parameters, so a table
 * made at run time (a day partition of `signal`) must be named in the text itself: the only values a
 * statement may take are identifiers that match DDL_IDENTIFIER (then double-quoted) and instants
 * (then a literal of their UTC ISO text). Neither can hold a quote, so neither can end its token.
 */

/** Lower-case ASCII letters, digits and underscores, at most 63 characters (PostgreSQL's NAMEDATALEN - 1). */
export const DDL_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

const DDL_STATEMENT = /^\s*(?:CREATE|ALTER|DROP)\s/;

/** One value of a `Db.ddl` template: a table's (or index's) name, or an instant (a partition bound). */
export type DdlValue = string | Date;

function inlined(value: DdlValue): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error('DDL: an invalid date');
    return `'${value.toISOString()}'`;
  }
  if (typeof value !== 'string' || !DDL_IDENTIFIER.test(value)) throw new Error(`DDL: not a plain identifier: ${JSON.stringify(value)}`);
  return `"${value}"`;
}

/**
 * The text of one CREATE, ALTER or DROP statement written as a tagged template
 * (`ddlText\`DROP TABLE IF EXISTS ${name}\``), its values checked and inlined. Throws, before anything
 * reaches the database, on another kind of statement, on a `;` (one statement only), on static text
 * that does not come from a template literal, and on a value that is neither a plain identifier nor a
 * valid Date.
 */
export function ddlText(strings: TemplateStringsArray, values: readonly DdlValue[]): string {
  if (!Object.isFrozen(strings) || !Array.isArray(strings.raw)) throw new Error('DDL: the statement must be a template literal');
  if (!DDL_STATEMENT.test(strings[0])) throw new Error('DDL: only CREATE, ALTER and DROP statements');
  if (strings.some((part) => part.includes(';'))) throw new Error('DDL: one statement only');
  return strings.reduce((text, part, i) => text + inlined(values[i - 1]) + part);
}
