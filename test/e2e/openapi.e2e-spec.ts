import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApi } from '../../src/cli/run-openapi.js';
import { API_TAGS } from '../../src/openapi/openapi.js';

type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string }; example?: { code?: string; message?: string } }> }>;
};

function operations(doc: { paths: Record<string, Record<string, Operation>> }): Array<[string, Operation]> {
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${path}`, op]));
}

describe('committed OpenAPI document', () => {
  it('is up to date with the decorators (run `npm run openapi` after changing routes or DTOs)', async () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'openapi', 'openapi.json'), 'utf8');
    const current = await renderOpenApi();
    expect(current === committed ? 'up to date' : 'stale: run npm run openapi').toBe('up to date');
  });

  it('documents the error body, the signature scheme and the security schemes', async () => {
    const doc = JSON.parse(await renderOpenApi());
    expect(doc.info.description).toContain('quorum-signals-v1');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['agent-jwt', 'api-key', 'bouncer-key', 'csrf-token', 'member-session', 'operator-session']);
    expect(doc.paths['/v1/signals'].post).toBeDefined();
  });

  describe('as a contract a new user can rely on', () => {
    let doc: { paths: Record<string, Record<string, Operation>>; tags: Array<{ name: string; description?: string }> };
    beforeAll(async () => {
      doc = JSON.parse(await renderOpenApi());
    });

    it('gives every operation a summary and a description', () => {
      const missing = operations(doc)
        .filter(([, op]) => !op.summary?.trim() || !op.description?.trim())
        .map(([name]) => name);
      expect(missing).toEqual([]);
    });

    it('documents the errors of every operation with the error schema and an example code', () => {
      const problems: string[] = [];
      for (const [name, op] of operations(doc)) {
        const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
        if (!errors.some(([status]) => status === '400') || !errors.some(([status]) => status === '503')) problems.push(`${name}: no 400/503`);
        if (op.security && !errors.some(([status]) => status === '401')) problems.push(`${name}: needs credentials but no 401`);
        if (name.includes('{') && !errors.some(([status]) => status === '404')) problems.push(`${name}: path parameters but no 404`);
        for (const [status, response] of errors) {
          const json = response.content?.['application/json'];
          if (!json?.schema?.$ref || !json.example?.message) problems.push(`${name} ${status}: no schema or example`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('declares every tag with a description', () => {
      const declared = new Map(doc.tags.map((tag) => [tag.name, tag.description ?? '']));
      const used = new Set(operations(doc).flatMap(([, op]) => op.tags ?? []));
      expect([...used].filter((tag) => !declared.get(tag)?.trim())).toEqual([]);
      expect(doc.tags.map((tag) => tag.name).sort()).toEqual(API_TAGS.map(([name]) => name).sort());
    });

    it('requires the CSRF header with a session cookie on every state-changing operation', () => {
      const missing = operations(doc)
        .filter(([name]) => !name.startsWith('GET ') && !name.startsWith('HEAD '))
        .filter(([, op]) => (op.security ?? []).some((alt) => Object.keys(alt).some((s) => s.endsWith('-session')) && !alt['csrf-token']))
        .map(([name]) => name);
      expect(missing).toEqual([]);
    });

    it('answers error examples with documented codes', () => {
      const codes = new Set(operations(doc).flatMap(([, op]) => Object.values(op.responses).map((r) => r.content?.['application/json']?.example?.code).filter(Boolean)));
      expect([...codes].every((code) => typeof code === 'string' && /^[a-z_]+$/.test(code))).toBe(true);
    });
  });
});
