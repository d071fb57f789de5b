import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import type * as SchemaEngineWasm from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';

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
/** Timers the engine armed and that have not fired yet. */
const pendingTimers = new Set<NodeJS.Timeout>();

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
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': withUnrefTimers(glue) });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return modulePromise;
}

/**
 * Lets the engine's WebAssembly instance (tens of MB) be garbage-collected. A server migrates once at
 * start-up and never again, so it should not keep the engine for its whole life. The next
 * openSchemaEngine() loads it afresh.
 */
export async function releaseSchemaEngine(): Promise<void> {
  const loading = modulePromise;
  modulePromise = undefined;
  const glue = await loading?.catch(() => undefined);
  // Its timers would otherwise fire into the released instance (and crash the process).
  for (const timer of pendingTimers) clearTimeout(timer);
  pendingTimers.clear();
  glue?.__wbg_set_wasm(undefined as unknown as WasmExports);
}

/**
 * The engine arms 10-second timers it never clears; unref'd, they no longer hold a finished CLI or
 * test process open for ten seconds. (While the engine works, its database sockets keep us alive.)
 */
function withUnrefTimers(glue: SchemaEngineModule): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...glue };
  for (const [name, fn] of Object.entries(imports)) {
    if (name.startsWith('__wbg_setTimeout') && typeof fn === 'function') {
      imports[name] = (callback: () => void, ms: number) => {
        const timer: NodeJS.Timeout = (fn as (cb: () => void, ms: number) => NodeJS.Timeout)(() => {
          pendingTimers.delete(timer);
          callback();
        }, ms);
        timer.unref();
        pendingTimers.add(timer);
        return timer;
      };
    }
  }
  return imports;
}

/**
 * The engine's catalog queries return PostgreSQL's internal `"char"` type (pg_class.relkind,
 * pg_constraint.contype...), which `@prisma/adapter-pg` refuses as an unsupported type. The pg
 * client reports those columns as text so the adapter accepts them, remembering which they were,
 * and the adapter's results then declare them as the one-character type the engine reads them as.
 */
const INTERNAL_CHAR_OID = 18;
const TEXT_OID = 25;
const charColumnsOfRows = new WeakMap<object, number[]>();

function reportCharAsText<T>(result: T): T {
  const { fields, rows } = (result ?? {}) as { fields?: Array<{ dataTypeID: number }>; rows?: object };
  if (!Array.isArray(fields) || !rows) return result;
  const charColumns = fields.flatMap((field, index) => (field.dataTypeID === INTERNAL_CHAR_OID ? [index] : []));
  for (const index of charColumns) fields[index].dataTypeID = TEXT_OID;
  if (charColumns.length) charColumnsOfRows.set(rows, charColumns);
  return result;
}

type RawResult = { columnTypes: number[]; rows: object };
type Queryable = { queryRaw(query: unknown): Promise<RawResult> };
type TransactionStarter = { startTransaction(isolationLevel?: unknown): Promise<Queryable> };

/** Makes `queryable`'s results (and those of transactions it starts) declare `"char"` columns. */
function declareCharColumns<T extends object>(queryable: T): T {
  const target = queryable as unknown as Queryable & Partial<TransactionStarter>;
  const queryRaw = target.queryRaw.bind(target);
  target.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of charColumnsOfRows.get(result.rows) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
  const startTransaction = target.startTransaction?.bind(target);
  if (startTransaction) target.startTransaction = async (level) => declareCharColumns(await startTransaction(level));
  return queryable;
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

type ScriptRunner = { executeScript(script: string): Promise<void> };
type PgAdapterInternals = ScriptRunner & { client: pg.Pool; onError(error: unknown): never };

/**
 * `@prisma/adapter-pg` runs a migration script by splitting it on every `;`, which breaks function
 * bodies (`$$ ... ; ... $$`) and string literals. PostgreSQL itself runs a multi-statement script
 * sent as one simple query, as the native Prisma engine does, so that is what we send.
 */
function sendScriptsWhole<T extends ScriptRunner>(adapter: T): T {
  declareCharColumns(adapter);
  const internals = adapter as unknown as PgAdapterInternals;
  internals.executeScript = async (script: string) => {
    try {
      await internals.client.query(script);
    } catch (error) {
      internals.onError(error);
    }
  };
  return adapter;
}

/** SQLSTATE of a connection terminated by DROP DATABASE ... WITH (FORCE). */
const ADMIN_SHUTDOWN = '57P01';

/** Shadow databases that exist right now, each with the pool connected to it. */
type Shadows = Map<string, pg.Pool>;

async function dropShadow(pool: pg.Pool, shadows: Shadows, database: string): Promise<void> {
  await shadows.get(database)?.end();
  shadows.delete(database);
  await pool.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
}

/**
 * The adapter factory the engine drives. Shadow databases are made here rather than by the adapter,
 * which drops the shadow database before closing its own connections to it (and so fails), and are
 * tracked so that one left by a failed or panicked diff is still dropped on dispose.
 */
function migrationAdapterFactory(pool: pg.Pool, poolConfig: pg.PoolConfig, shadows: Shadows, logs: string[]): PrismaPg {
  const factory = new PrismaPg(pool);
  return Object.assign(Object.create(factory) as PrismaPg, {
    connect: async () => sendScriptsWhole(await factory.connect()),
    connectToShadowDb: async () => {
      const database = `prisma_migrate_shadow_db_${randomUUID()}`;
      await pool.query(`CREATE DATABASE "${database}"`);
      const shadowPool = new pg.Pool({ ...poolConfig, database });
      // pool.end() resolves before its sockets have closed, so the FORCE drop below can terminate a
      // connection that is still closing; the pool then emits 'error', which unhandled kills the process.
      shadowPool.on('error', (error: Error & { code?: string }) => {
        if (error.code !== ADMIN_SHUTDOWN) logs.push(`shadow database connection error: ${error.message}`);
      });
      shadows.set(database, shadowPool);
      const adapter = sendScriptsWhole(await new PrismaPg(shadowPool).connect());
      const release = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await release();
        await dropShadow(pool, shadows, database);
      };
      return adapter;
    },
  });
}

export interface SchemaEngineHandle {
  engine: SchemaEngine;
  /** What the engine reported while working; shown when a command fails. */
  logs: string[];
  /**
   * Runs engine work. A Rust panic in the engine surfaces as an uncaught WebAssembly trap rather than
   * a rejection; here it rejects `work` with the panic's message instead of killing the process.
   */
  run<T>(work: (engine: SchemaEngine) => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}

/** Opens a schema engine on `databaseUrl`. Diffs that need a shadow database create and drop one there. */
export async function openSchemaEngine(databaseUrl: string, schemaPath: string): Promise<SchemaEngineHandle> {
  const wasm = await loadSchemaEngineModule();
  // We own the pool so that dispose() really closes the connections the engine opened.
  // Connection fields, not a connectionString: the shadow database is opened by overriding
  // `database`, and a connectionString would silently win over that override.
  const poolConfig: pg.PoolConfig = {
    ...parseIntoClientConfig(databaseUrl),
    max: 2,
    // The engine can leave a connection idle in the pool after dispose(); it must not keep a CLI alive.
    allowExitOnIdle: true,
    Client: CatalogCompatibleClient,
  };
  const pool = new pg.Pool(poolConfig);
  const shadows: Shadows = new Map();
  const logs: string[] = [];
  const adapterFactory = bindMigrationAwareSqlAdapterFactory(migrationAdapterFactory(pool, poolConfig, shadows, logs));
  const schema = readFileSync(schemaPath, 'utf8');
  let engine: SchemaEngine;
  try {
    engine = await wasm.SchemaEngine.new(
      { datamodels: [[schemaPath, schema]] },
      (message: string) => logs.push(message),
      adapterFactory,
    );
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    engine,
    logs,
    run: (work) => runCatchingPanics(() => work(engine)),
    async dispose() {
      try {
        engine.free();
      } catch {
        // An engine that panicked may not free cleanly; its connections are closed below anyway.
      }
      for (const database of [...shadows.keys()]) await dropShadow(pool, shadows, database);
      await pool.end();
    },
  };
}

async function runCatchingPanics<T>(work: () => Promise<T>): Promise<T> {
  let onTrap: ((error: Error) => void) | undefined;
  const trapped = new Promise<never>((_, reject) => {
    onTrap = (error: Error) => {
      if (error?.constructor?.name !== 'RuntimeError') throw error; // not ours: default behaviour
      const panic = takeEnginePanic();
      reject(new Error(`schema engine panicked: ${panic ?? error.message}`, { cause: error }));
    };
  });
  process.on('uncaughtException', onTrap!);
  try {
    return await Promise.race([work(), trapped]);
  } finally {
    process.off('uncaughtException', onTrap!);
  }
}
