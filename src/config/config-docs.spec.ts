import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_SCHEMA } from './env.schema.js';

const root = join(__dirname, '..', '..');

describe('configuration documentation', () => {
  const names = Object.keys(ENV_SCHEMA);

  it('lists every variable in the README configuration table', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const missing = names.filter((name) => !readme.includes(`| \`${name}\``));
    expect(missing).toEqual([]);
  });

  it('lists every variable in .env.example', () => {
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const missing = names.filter((name) => !new RegExp(`^#? ?${name}=`, 'm').test(example));
    expect(missing).toEqual([]);
  });
});
