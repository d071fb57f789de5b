import { stdSerializers } from 'pino';

interface PrismaLikeError extends Error {
  code?: unknown;
  meta?: { modelName?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } };
}

/** Prisma's error classes (known, unknown, validation, initialization, panic) and the driver adapter's. */
function isPrismaError(error: Error): error is PrismaLikeError {
  return error.name.startsWith('PrismaClient') || error.name === 'DriverAdapterError';
}

/** The stack without its first lines, which repeat the message. */
function framesOf(error: Error): string {
  return (error.stack ?? '')
    .split('\n')
    .filter((line) => line.startsWith('    at '))
    .join('\n');
}

const codeOf = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);

/**
 * The `err` of every log line. A Prisma error's message and meta repeat the call, its arguments (a
 * tenant's names, emails, settings) and the database's own message, so of those only the class, the
 * Prisma code, the SQLSTATE, the model and the stack frames are kept: enough to find the bug, nothing
 * of anyone's data. Other errors are logged as pino logs them, their causes cleaned the same way.
 */
export function serializeError(value: unknown): unknown {
  // pino-http hands custom serializers pino's own serialization, the original error under `raw`.
  const raw = (value as { raw?: unknown } | null)?.raw;
  const error = value instanceof Error ? value : raw instanceof Error ? raw : undefined;
  if (!error) return value;
  if (isPrismaError(error)) {
    const cause = error.meta?.driverAdapterError?.cause;
    return {
      type: error.constructor.name,
      code: codeOf(error.code),
      sqlState: codeOf(cause?.originalCode),
      driverErrorKind: codeOf(cause?.kind),
      model: codeOf(error.meta?.modelName),
      message: '[omitted: Prisma messages repeat the query and its data]',
      stack: framesOf(error),
    };
  }
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  if (error.cause instanceof Error) serialized.cause = serializeError(error.cause);
  return serialized;
}
