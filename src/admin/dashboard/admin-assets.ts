import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../common/util/project-root.js';

/** The dashboard's built files (scripts/build-admin.mjs writes them to dist/web/admin). */
export const ADMIN_ASSETS: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'styles.css': 'text/css; charset=utf-8',
};

export function adminAssetsDir(): string {
  return join(projectRoot(), 'dist', 'web', 'admin');
}

/** Reads a built asset (null when unknown or not built). Small files, cached after the first read. */
const cache = new Map<string, Buffer>();
export function readAdminAsset(name: string): Buffer | null {
  if (!(name in ADMIN_ASSETS)) return null;
  let body = cache.get(name);
  if (!body) {
    const path = join(adminAssetsDir(), name);
    if (!existsSync(path)) return null;
    body = readFileSync(path);
    cache.set(name, body);
  }
  return body;
}
