// Connection-string surgery for the admin connections (CREATE/DROP DATABASE) and the shadow database.

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function databaseName(url: string): string {
  const name = decodeURIComponent(parse(url).pathname.replace(/^\//, ''));
  if (!name) throw new Error('the database URL names no database');
  return name;
}

/** The same server, credentials and options, pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = parse(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** Prisma-style `?schema=` parameter: the adapter takes it as an option, pg would ignore it. */
export function schemaParam(url: string): string | undefined {
  return parse(url).searchParams.get('schema') ?? undefined;
}

function parse(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('the database URL is not a valid URL');
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new Error(`unsupported database URL scheme ${parsed.protocol} (expected postgresql:)`);
  }
  return parsed;
}
