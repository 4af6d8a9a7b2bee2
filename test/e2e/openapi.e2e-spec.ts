import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApi } from '../../src/cli/run-openapi.js';

describe('committed OpenAPI document', () => {
  it('is up to date with the decorators (run `npm run openapi` after changing routes or DTOs)', async () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'openapi', 'openapi.json'), 'utf8');
    const current = await renderOpenApi();
    expect(current === committed ? 'up to date' : 'stale: run npm run openapi').toBe('up to date');
  }, 60_000);

  it('documents the error body, the signature scheme and the security schemes', async () => {
    const doc = JSON.parse(await renderOpenApi());
    expect(doc.info.description).toContain('quorum-signals-v1');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['agent-jwt', 'api-key', 'member-session', 'operator-session']);
    expect(doc.paths['/v1/signals'].post).toBeDefined();
  }, 60_000);
});
