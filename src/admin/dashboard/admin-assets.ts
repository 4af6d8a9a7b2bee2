import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../common/errors/domain-error.js';
import { projectRoot } from '../../common/util/project-root.js';

/** The web pages Quorum serves, built by scripts/build-admin.mjs into dist/web/<page>. */
export type WebPage = 'admin' | 'app' | 'holder';

const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Every file each page may serve, with its content type (anything else is a 404). */
export const WEB_ASSETS: Record<WebPage, Record<string, string>> = {
  admin: { 'index.html': HTML, 'app.js': JS, 'api.js': JS, 'charts.js': JS, 'console.js': JS, 'revenue.js': JS, 'customer-detail.js': JS, 'listings.js': JS, 'community-actions.js': JS, 'signal-volume.js': JS, 'styles.css': CSS },
  app: { 'index.html': HTML, 'portal.js': JS, 'api.js': JS, 'api-types.js': JS, 'dom.js': JS, 'pages.js': JS, 'styles.css': CSS },
  holder: { 'index.html': HTML, 'holder.js': JS, 'holder-api.js': JS, 'styles.css': CSS },
};
/** The dashboard's files (kept for its controller). */
export const ADMIN_ASSETS = WEB_ASSETS.admin;

export function webAssetsDir(page: WebPage): string {
  return join(projectRoot(), 'dist', 'web', page);
}

export function adminAssetsDir(): string {
  return webAssetsDir('admin');
}

/** Reads a built asset (null when unknown or not built). Small files, cached after the first read. */
const cache = new Map<string, Buffer>();
export function readWebAsset(page: WebPage, name: string): Buffer | null {
  if (!Object.hasOwn(WEB_ASSETS[page], name)) return null;
  const key = `${page}/${name}`;
  let body = cache.get(key);
  if (!body) {
    const path = join(webAssetsDir(page), name);
    if (!existsSync(path)) return null;
    body = readFileSync(path);
    cache.set(key, body);
  }
  return body;
}

export function readAdminAsset(name: string): Buffer | null {
  return readWebAsset('admin', name);
}

/** The pages' own scripts and styles only; nothing framed, fetched elsewhere or posted elsewhere. */
const PAGE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Answers with a built file of `page` and the pages' security headers; 404 for unknown files, 503 when not built. */
export function sendWebAsset(reply: FastifyReply, page: WebPage, name: string): void {
  const body = readWebAsset(page, name);
  if (!body) {
    if (name === 'index.html') throw DomainError.unavailable(`The ${page} page is not built (run node scripts/build-admin.mjs)`);
    throw DomainError.notFound(`No such file of the ${page} page`);
  }
  void reply
    .header('content-type', WEB_ASSETS[page][name])
    .header('cache-control', 'no-cache')
    .header('content-security-policy', PAGE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .send(body);
}
