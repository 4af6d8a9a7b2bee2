import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './project-root.js';

describe('projectRoot', () => {
  it('is the folder holding package.json, prisma/ and data/', () => {
    const root = projectRoot();
    expect(existsSync(join(root, 'package.json'))).toBe(true);
    expect(existsSync(join(root, 'prisma', 'schema.prisma'))).toBe(true);
    expect(existsSync(join(root, 'data'))).toBe(true);
    expect(projectRoot()).toBe(root);
  });
});
