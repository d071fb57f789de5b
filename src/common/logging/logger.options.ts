import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../../config/app-config';
import { pathOf } from '../http/url';
import { RequestContext } from '../request-context/request-context';
import { serializeError } from './error-serializer';
import { LOG_CENSOR, REDACTED_PATHS, redactHttpFields, redactLine, redactMessageArguments, redactSerialized } from './log-redaction';

function requestIdentity(): Record<string, string> {
  const access = RequestContext.current()?.access;
  if (!access) return {};
  const principal = access.principal;
  const identity: Record<string, string> = {};
  if (access.tenantId) identity.tenantId = access.tenantId;
  if (principal.kind === 'user') identity.userId = principal.userId;
  if (principal.kind === 'api_key') identity.apiKeyId = principal.apiKeyId;
  if (principal.kind === 'service_account') identity.serviceAccountId = principal.serviceAccountId;
  return identity;
}

/** Where log lines go; null means stdout. Tests provide a stream to read what was logged. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/** JSON logs, one child logger per request carrying its `requestId` on every line. */
export function loggerOptions(config: Pick<AppConfig, 'LOG_LEVEL'>, stream?: DestinationStream | null): Params {
  return {
    pinoHttp: [
      {
        level: config.LOG_LEVEL,
        // Secrets never reach a line (log-redaction.ts): pino's redact for fixed paths; the nested
        // keys when a line is written, in its object, its message's objects and what the
        // serializers produce.
        redact: { paths: REDACTED_PATHS, censor: LOG_CENSOR },
        formatters: { log: redactLine },
        hooks: { logMethod: redactMessageArguments },
        // Fastify's genReqId already chose the id (bootstrap.ts); middie copies it onto the raw request.
        genReqId: (req: IncomingMessage & { id?: string }) => req.id ?? 'unknown',
        // Every line logged while serving a request carries its id as `requestId`; the full request
        // appears once, on its "request completed" line.
        quietReqLogger: true,
        customAttributeKeys: { reqId: 'requestId' },
        // The request line is logged without its query string, which may carry tokens.
        // Errors lose what would repeat a tenant's data (Prisma's messages): error-serializer.ts.
        serializers: {
          req: (req: { url?: string; query?: unknown }) => redactHttpFields({ ...req, url: pathOf(req.url ?? ''), query: undefined }),
          res: redactHttpFields,
          err: (error: unknown) => redactSerialized(serializeError(error)),
        },
        // Lines logged once the tenant context is set carry who the request is for.
        mixin: requestIdentity,
        customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
          error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      },
      ...(stream ? [stream] : []),
    ] as Params['pinoHttp'],
  };
}
