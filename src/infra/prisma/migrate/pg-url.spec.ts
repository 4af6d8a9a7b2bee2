import { databaseName, quoteIdent, schemaParam, withDatabase } from './pg-url.js';

describe('pg-url', () => {
  const url = 'postgresql://app:s%40cret@db.example:6543/quorum?schema=public&sslmode=require';

  it('reads the database name', () => {
    expect(databaseName(url)).toBe('quorum');
    expect(databaseName('postgres://u@h/my%20db')).toBe('my db');
  });

  it('points the URL at another database, keeping credentials and options', () => {
    const other = new URL(withDatabase(url, 'quorum_shadow_1'));
    expect(other.pathname).toBe('/quorum_shadow_1');
    expect(other.username).toBe('app');
    expect(decodeURIComponent(other.password)).toBe('s@cret');
    expect(other.host).toBe('db.example:6543');
    expect(other.searchParams.get('sslmode')).toBe('require');
  });

  it('reads the Prisma schema parameter', () => {
    expect(schemaParam(url)).toBe('public');
    expect(schemaParam('postgresql://u@h/db')).toBeUndefined();
  });

  it('rejects URLs without a database or with another scheme', () => {
    expect(() => databaseName('postgresql://u@h')).toThrow('names no database');
    expect(() => databaseName('mysql://u@h/db')).toThrow('unsupported database URL scheme');
    expect(() => databaseName('not a url')).toThrow('not a valid URL');
  });

  it('quotes identifiers', () => {
    expect(quoteIdent('plain')).toBe('"plain"');
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
  });
});
