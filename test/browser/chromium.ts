import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Debian's Chromium (installed by scripts/ensure-chromium.sh when missing), never a downloaded browser. */
/** A fresh temporary profile each launch (Playwright takes it as the persistent context's directory). */
export async function launchChromium(viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  execFileSync('bash', ['scripts/ensure-chromium.sh'], { stdio: 'inherit', timeout: 25 * 60_000 });
  const profile = mkdtempSync(join(tmpdir(), 'quorum-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    timeout: 60_000,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Builds the dashboard page the way `npm run build` does (so /admin serves the current source). */
export function buildAdminPage(): void {
  execFileSync('node', ['scripts/build-admin.mjs'], { stdio: 'inherit', timeout: 120_000 });
}
