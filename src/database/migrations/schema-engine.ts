import { readFileSync } from 'node:fs';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type * as SchemaEngineWasm from '@prisma/schema-engine-wasm';
import pg from 'pg';

export type SchemaEngine = SchemaEngineWasm.SchemaEngine;
export type { DiagnoseMigrationHistoryOutput, MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm';

type WasmExports = Record<string, unknown>;
type SchemaEngineModule = typeof SchemaEngineWasm & { __wbg_set_wasm(exports: WasmExports): void };
/** Node's global WebAssembly API; typed here because the project's `lib` does not include the DOM. */
const { WebAssembly } = globalThis as unknown as {
  WebAssembly: { instantiate(bytes: Buffer, imports: object): Promise<{ instance: { exports: WasmExports } }> };
};

let modulePromise: Promise<SchemaEngineModule> | undefined;
let lastPanic: string | undefined;

/** The message of the engine's last panic, if any (panics surface as opaque `unreachable` traps). */
export function takeEnginePanic(): string | undefined {
  const message = lastPanic;
  lastPanic = undefined;
  return message;
}

/**
 * Loads Prisma's official schema engine compiled to WebAssembly. Its package entry imports the
 * `.wasm` file as an ES module, which Node cannot do, so we instantiate the binary next to the
 * wasm-bindgen glue ourselves, once per process.
 */
function loadSchemaEngineModule(): Promise<SchemaEngineModule> {
  modulePromise ??= (async () => {
    // The engine reports a Rust panic's message here before it throws; keep it for the error we raise.
    (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = {
      set_message(message: string) {
        lastPanic = message;
      },
    };
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- ESM glue, loaded through require(esm)
    const glue = require(gluePath) as SchemaEngineModule;
    const bytes = readFileSync(gluePath.replace(/\.js$/, '.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue as never });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return modulePromise;
}

/**
 * The engine's catalog queries return PostgreSQL's internal `"char"` type (pg_class.relkind, ...),
 * which `@prisma/adapter-pg` does not map; it is a one-byte text value, so we report it as text.
 */
const INTERNAL_CHAR_OID = 18;
const TEXT_OID = 25;

function reportCharAsText<T>(result: T): T {
  const fields = (result as { fields?: Array<{ dataTypeID: number }> } | undefined)?.fields;
  if (Array.isArray(fields)) {
    for (const field of fields) if (field.dataTypeID === INTERNAL_CHAR_OID) field.dataTypeID = TEXT_OID;
  }
  return result;
}

class CatalogCompatibleClient extends pg.Client {
  override query(...args: unknown[]): never {
    const callbackIndex = args.findIndex((arg) => typeof arg === 'function');
    if (callbackIndex >= 0) {
      const callback = args[callbackIndex] as (error: Error | null, result: unknown) => void;
      args[callbackIndex] = (error: Error | null, result: unknown) =>
        callback(error, error ? result : reportCharAsText(result));
      return (super.query as (...a: unknown[]) => never)(...args);
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    return (result instanceof Promise ? result.then(reportCharAsText) : result) as never;
  }
}

export interface SchemaEngineHandle {
  engine: SchemaEngine;
  /** What the engine reported while working; shown when a command fails. */
  logs: string[];
  dispose(): Promise<void>;
}

/** Opens a schema engine on `databaseUrl`. Diffs that need a shadow database create and drop one there. */
export async function openSchemaEngine(databaseUrl: string, schemaPath: string): Promise<SchemaEngineHandle> {
  const wasm = await loadSchemaEngineModule();
  // We own the pool so that dispose() really closes the connections the engine opened.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, Client: CatalogCompatibleClient as typeof pg.Client });
  const adapterFactory = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
  const schema = readFileSync(schemaPath, 'utf8');
  const logs: string[] = [];
  const engine = await wasm.SchemaEngine.new(
    { datamodels: [[schemaPath, schema]] },
    (message: string) => logs.push(message),
    adapterFactory,
  );
  return {
    engine,
    logs,
    async dispose() {
      engine.free();
      await pool.end();
    },
  };
}
