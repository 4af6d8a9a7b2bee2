import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { MigrationAdapterFactory } from './adapter-factory.js';
import { engineSessionStarted, loadSchemaEngineWasm } from './wasm-engine.js';

export interface SchemaFile {
  path: string;
  content: string;
}

/** Runs `work` with a schema engine connected to `databaseUrl`, then frees it and closes every pool. */
export async function withSchemaEngine<T>(
  databaseUrl: string,
  schema: SchemaFile | null,
  log: (msg: string) => void,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const glue = await loadSchemaEngineWasm();
  const factory = new MigrationAdapterFactory(databaseUrl, log);
  const sessionEnded = engineSessionStarted();
  let engine: SchemaEngine | undefined;
  try {
    engine = await glue.SchemaEngine.new(
      { datamodels: schema ? [[schema.path, schema.content]] : undefined },
      (line: string) => log(line),
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    return await work(engine);
  } catch (error) {
    throw engineError(error);
  } finally {
    engine?.free();
    try {
      await factory.close();
    } finally {
      sessionEnded();
    }
  }
}

/** Engine errors arrive as plain objects or strings; make them Errors with a readable message. */
function engineError(error: unknown): Error {
  if (error instanceof Error) return error;
  return new Error(`schema engine: ${typeof error === 'string' ? error : JSON.stringify(error)}`);
}
