import { join } from 'node:path';
import { projectRoot } from '../../../common/util/project-root.js';

export interface PrismaPaths {
  root: string;
  schemaPath: string;
  migrationsDir: string;
}

export function defaultPrismaPaths(): PrismaPaths {
  const root = projectRoot();
  return {
    root,
    schemaPath: join(root, 'prisma', 'schema.prisma'),
    migrationsDir: join(root, 'prisma', 'migrations'),
  };
}
