import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadConfigFromProcess } from '../config/app-config.js';
import { createRootLogger } from '../common/logging/pino-logger.js';
import { createHttpApp } from '../app/create-http-app.js';
import { buildOpenApiDocument } from '../openapi/openapi.js';
import { projectRoot } from '../common/util/project-root.js';

/** Renders the OpenAPI document with stable key order, without listening or connecting. */
export async function renderOpenApi(): Promise<string> {
  const config = loadConfigFromProcess({ QUORUM_DOCS_ENABLED: 'false' });
  const app = await createHttpApp(config, createRootLogger('silent'), { preview: true });
  const document = buildOpenApiDocument(app);
  await app.close().catch(() => undefined);
  return `${JSON.stringify(document, null, 2)}\n`;
}

export async function writeOpenApi(args: string[]): Promise<number> {
  const outIndex = args.indexOf('--out');
  const out = outIndex >= 0 && args[outIndex + 1] ? resolve(args[outIndex + 1]) : resolve(projectRoot(), 'openapi/openapi.json');
  const text = await renderOpenApi();
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, text);
  process.stdout.write(`OpenAPI document written to ${out}\n`);
  return 0;
}
