import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type Glue = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');
type TimerImport = (callback: () => void, ms: number) => unknown;

// tsconfig's lib has no WebAssembly declarations (no DOM lib, @types/node 20 lacks them).
interface WasmApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, object>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let loaded: Promise<Glue> | undefined;
let openSessions = 0;
// The engine arms 10 s timers it never clears; once no engine is in use they only keep the process alive.
const engineTimers = new Set<ReturnType<typeof setTimeout>>();

/**
 * The package's entry imports its .wasm file as an ES module, which Node 20 cannot do without a flag:
 * instantiate the wasm from node_modules ourselves and hand it to the wasm-bindgen glue. The glue keeps
 * the instance in module state, so this runs once per module registry.
 */
export function loadSchemaEngineWasm(): Promise<Glue> {
  loaded ??= instantiate().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

/** Brackets the use of an engine, so its leftover timers are cleared when the last one is done. */
export function engineSessionStarted(): () => void {
  openSessions++;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    if (--openSessions > 0) return;
    for (const timer of engineTimers) clearTimeout(timer);
    engineTimers.clear();
  };
}

async function instantiate(): Promise<Glue> {
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const glue: Glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = await readFile(join(dirname(gluePath), 'schema_engine_bg.wasm'));
  const imports: Record<string, unknown> = { ...glue };
  for (const [name, value] of Object.entries(glue)) {
    if (name.startsWith('__wbg_setTimeout_') && typeof value === 'function') {
      imports[name] = trackedTimer(value as TimerImport);
    }
  }
  const { instance } = await wasmApi.instantiate(bytes, { './schema_engine_bg.js': imports });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue;
}

function trackedTimer(arm: TimerImport): TimerImport {
  return (callback, ms) => {
    const timer = arm(() => {
      engineTimers.delete(timer);
      callback();
    }, ms) as ReturnType<typeof setTimeout>;
    engineTimers.add(timer);
    return timer;
  };
}
