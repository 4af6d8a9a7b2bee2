import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../util/project-root.js';
import { DomainError } from './domain-error.js';
import { CROWDSEC_STATUS, ERROR_ENUMS, ERROR_STATUS, statusOf } from './error-catalogue.js';
import { mapError } from './error-body.js';
import { ErrorCode } from './error-codes.js';

const declared: Array<[domain: string, code: string]> = Object.entries(ERROR_ENUMS).flatMap(([domain, values]) =>
  Object.values(values as Record<string, string>).map((code): [string, string] => [domain, code]),
);

/** `| \`code\` | status | ...` rows of the "Errors" section of docs/architecture.md. */
function documented(): Map<string, number> {
  const doc = readFileSync(join(projectRoot(), 'docs', 'architecture.md'), 'utf8');
  const section = doc.slice(doc.indexOf('\n## Errors\n'), doc.indexOf('\n## ', doc.indexOf('\n## Errors\n') + 1));
  const rows = new Map<string, number>();
  for (const match of section.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)) rows.set(match[1], Number(match[2]));
  return rows;
}

describe('error catalogue', () => {
  it('gives every declared code an HTTP status', () => {
    for (const [domain, code] of declared) {
      const status = (ERROR_STATUS as Record<string, number | undefined>)[code];
      expect({ domain, code, status }).toEqual({ domain, code, status: expect.any(Number) });
      expect(status! >= 400 && status! <= 599).toBe(true);
    }
  });

  it('maps no code that no enum declares, and declares each code once', () => {
    const codes = declared.map(([, code]) => code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Object.keys(ERROR_STATUS).sort()).toEqual([...codes].sort());
    for (const code of Object.keys(CROWDSEC_STATUS)) expect(codes).toContain(code);
  });

  it('is the documented list: every code, with its status, in docs/architecture.md "Errors", and nothing else', () => {
    const rows = documented();
    for (const [, code] of declared) expect({ code, status: rows.get(code) }).toEqual({ code, status: statusOf(code) });
    expect([...rows.keys()].sort()).toEqual(declared.map(([, code]) => code).sort());
  });

  it('domain errors carry no status: the filter maps their code', () => {
    const error = new DomainError(ErrorCode.ReplayedNonce, 'seen');
    expect(Object.keys(error)).not.toContain('status');
    expect(mapError(error).status).toBe(409);
    expect(mapError(new DomainError('machine_id_taken', 'taken')).status).toBe(409);
    expect(mapError(new DomainError('machine_id_taken', 'taken'), true).status).toBe(403);
    expect(mapError(new DomainError('invalid_token', 'expired'), true).status).toBe(401);
  });
});
