import { ddlText, type DdlValue } from './ddl.js';

/** What `Db.ddl` sends for a tagged template (docs/architecture.md "Data access"). */
const ddl = (strings: TemplateStringsArray, ...values: DdlValue[]) => ddlText(strings, values);

describe('ddlText', () => {
  it('double-quotes plain identifiers and inlines instants as UTC ISO literals', () => {
    const name = 'signal_p20260101';
    expect(ddl`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF "signal" FOR VALUES FROM (${new Date('2026-01-01T00:00:00Z')}) TO (${new Date(Date.UTC(2026, 0, 2))})`).toBe(
      `CREATE TABLE IF NOT EXISTS "signal_p20260101" PARTITION OF "signal" FOR VALUES FROM ('2026-01-01T00:00:00.000Z') TO ('2026-01-02T00:00:00.000Z')`,
    );
    expect(ddl`DROP TABLE IF EXISTS ${name}`).toBe('DROP TABLE IF EXISTS "signal_p20260101"');
    expect(ddl`  ALTER TABLE ${'_t1'} RENAME TO ${'x'.repeat(63)}`).toBe(`  ALTER TABLE "_t1" RENAME TO "${'x'.repeat(63)}"`);
  });

  it.each([
    ['a double quote', 'signal_p1" CASCADE; DROP TABLE "agent'],
    ['a single quote', "x'y"],
    ['a semicolon', 'a;b'],
    ['a space', 'a b'],
    ['upper case', 'Signal'],
    ['a leading digit', '1signal'],
    ['a dot (schema-qualified)', 'public.signal'],
    ['nothing', ''],
    ['64 characters', 'x'.repeat(64)],
    ['a non-ASCII letter', 'signalé'],
  ])('refuses an identifier with %s', (_what, name) => {
    expect(() => ddl`DROP TABLE IF EXISTS ${name}`).toThrow(/not a plain identifier/);
  });

  it('refuses a value that is neither a string nor a Date, and an invalid Date', () => {
    expect(() => ddl`DROP TABLE IF EXISTS ${1 as unknown as string}`).toThrow(/not a plain identifier/);
    expect(() => ddl`CREATE TABLE ${'t'} PARTITION OF "signal" FOR VALUES FROM (${new Date('2026-13-01T00:00:00Z')}) TO (${new Date(0)})`).toThrow(/invalid date/);
  });

  it('refuses statements other than CREATE, ALTER and DROP, a second statement, and text not from a template literal', () => {
    expect(() => ddl`DELETE FROM ${'signal'}`).toThrow(/only CREATE, ALTER and DROP/);
    expect(() => ddl`SELECT 1`).toThrow(/only CREATE, ALTER and DROP/);
    expect(() => ddl`DROP TABLE ${'a'}; DROP TABLE ${'b'}`).toThrow(/one statement only/);
    const forged = Object.assign(['DROP TABLE agent'], { raw: ['DROP TABLE agent'] }) as unknown as TemplateStringsArray;
    expect(() => ddlText(forged, [])).toThrow(/template literal/);
  });
});
