import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'generate-types.mjs');
const GENERATED = join(__dirname, 'api-types.ts');

const generator = (args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', timeout: 10_000 });

describe('types generated from openapi/openapi.json', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quorum-api-types-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('are up to date (run `node agent-client/scripts/generate-types.mjs` after `npm run openapi`)', () => {
    const r = generator(['--check']);
    expect(r.status === 0 ? 'up to date' : `stale: ${r.stderr}`).toBe('up to date');
  });

  it('--check fails on a file that differs from the document', async () => {
    const stale = join(dir, 'stale.ts');
    await writeFile(stale, `${await readFile(GENERATED, 'utf8')}export type Removed = string;\n`);
    const r = generator(['--check', '--out', stale]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is stale');
  });

  it('translates refs, required and optional fields, enums, nullables, arrays, maps and unions', async () => {
    const doc = {
      info: { title: 'T', version: '1' },
      components: {
        schemas: {
          Item: { type: 'object', description: 'An item', properties: { value: { type: 'string' }, 'odd-key': { type: 'integer', nullable: true } }, required: ['value'] },
          List: {
            type: 'object',
            properties: {
              items: { type: 'array', items: { $ref: '#/components/schemas/Item' } },
              kind: { type: 'string', enum: ['a', 'b'] },
              labels: { type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }] } },
              either: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'boolean' }] } },
            },
            required: ['items', 'kind'],
          },
          Both: { allOf: [{ $ref: '#/components/schemas/Item' }, { $ref: '#/components/schemas/List' }] },
        },
      },
    };
    await writeFile(join(dir, 'doc.json'), JSON.stringify(doc));
    const out = join(dir, 'out.ts');
    expect(generator(['--openapi', join(dir, 'doc.json'), '--out', out]).status).toBe(0);
    const text = await readFile(out, 'utf8');
    expect(text).toContain('/** An item */\nexport interface Item {\n  value: string;\n  "odd-key"?: number | null;\n}');
    expect(text).toContain('  items: Item[];\n  kind: "a" | "b";\n  labels?: Record<string, string | number>;\n  either?: (string | boolean)[];\n');
    expect(text).toContain('export type Both = Item & List;');
  });
});
