import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGliteWireServer } from './pglite-wire-server.js';

export interface EmbeddedPostgres {
  /** postgresql:// URL of the loopback socket serving the PGlite database. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * PGlite (PostgreSQL compiled to wasm, one session) kept on disk under `dataDir`, served over the
 * PostgreSQL wire protocol on a loopback port so the pg Pool, Prisma's adapter, the migration engine
 * and BullMQ's PostgreSQL backend use it unchanged (see PGliteWireServer for how clients share it).
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGliteWireServer(db);
  const port = await server.start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async close() {
      await server.close();
      await db.close();
    },
  };
}
