import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { API_PREFIX, UNPREFIXED_ROUTES, OPENAPI_JSON_PATH, OPENAPI_UI_PATH, REQUEST_ID_HEADER } from './common/constants';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { clientErrorHandler } from './common/http/client-error-handler';
import { registerHttpPlugins } from './common/http/http-plugins';
import { registerConsole } from './console/console-static';
import { registerJsonBodyParser } from './common/http/json-body-parser';
import { keepRawBody } from './common/http/raw-body';
import { RAW_BODY_ROUTES } from './integrations/integrations.constants';
import { registerRequestInputHook } from './common/http/request-input-hook';
import { attachTrustedProxies, TrustedProxies, trustedProxiesOf } from './common/http/trusted-proxies';
import { requestIdFor } from './common/request-context/request-id';
import { createValidationPipe } from './common/validation.pipe';
import { AppConfig } from './config/app-config';
import { MetricsService } from './metrics/metrics.service';
import { SPOOFABLE_TENANT_HEADERS } from './tenancy/tenancy.constants';
import { buildOpenApiDocument } from './openapi/openapi-document';

/** The HTTP server every instance of the application runs on, tests included. */
export function createHttpAdapter(): FastifyAdapter {
  const errors = new AllExceptionsFilter();
  const proxies = new TrustedProxies();
  const adapter = new FastifyAdapter({
    genReqId: requestIdFor,
    // Who `request.ip` is (rate limits count per client address): the socket's peer, unless it is a
    // proxy TRUST_PROXY names; bootstrap() configures that once the configuration is validated.
    trustProxy: proxies.trusts,
    // Errors Fastify raises before routing (a malformed URL) and ones Node's parser raises before
    // Fastify (oversized headers) get the same envelope as everything else.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => errors.reply(error, request, reply),
    clientErrorHandler,
    // On close, refuse new requests on kept-alive connections and drop idle ones; in-flight ones finish.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  attachTrustedProxies(adapter.getInstance(), proxies);
  // Wall 1 (docs/security.md): the first hook of every request, before middleware, guards or handlers
  // could read a tenant a client chose for itself.
  adapter.getInstance().addHook('onRequest', (request, _reply, done) => {
    for (const header of SPOOFABLE_TENANT_HEADERS) delete request.headers[header];
    done();
  });
  return adapter;
}

/** Creates the application; start-up errors (bad config, unreachable database) reject instead of aborting. */
export async function createApp(): Promise<NestFastifyApplication> {
  return NestFactory.create<NestFastifyApplication>(AppModule, createHttpAdapter(), {
    bodyParser: false, // bootstrap() registers the one body parser we accept
    bufferLogs: true,
    abortOnError: false,
  });
}

/**
 * Everything main.ts does to the application besides listening; end-to-end tests call it too, so they
 * exercise the same pipes, filters, hooks and documents as production.
 */
export async function bootstrap(app: NestFastifyApplication): Promise<void> {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED_ROUTES });
  app.useGlobalPipes(createValidationPipe());
  const filter = new AllExceptionsFilter();
  app.useGlobalFilters(filter);

  const fastify = app.getHttpAdapter().getInstance();
  trustedProxiesOf(fastify).configure(config.TRUST_PROXY);
  // First, so answers that plugins give from their hooks (CORS preflights) carry it too.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  // Before any route exists (Nest adds them in app.init() below), so the plugins' hooks cover all.
  await registerHttpPlugins(app, config);
  registerJsonBodyParser(fastify, config.BODY_LIMIT_BYTES, config.inputLimits);
  registerRequestInputHook(fastify, config.inputLimits);
  // Webhook signatures are over the exact bytes (integrations/whatsapp): kept for those routes only.
  keepRawBody(fastify, RAW_BODY_ROUTES, config.BODY_LIMIT_BYTES);
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  // Once closing, answers to requests still in flight end their keep-alive connections; otherwise the
  // server would wait on those idle sockets until the keep-alive timeout instead of exiting.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });

  await registerConsole(fastify);
  if (config.DOCS_ENABLED) {
    // A factory: the document (error responses, constraints, examples) is built on the first request
    // for it, not at start-up, where it cost about a second of the ready time (docs/benchmarks.md).
    SwaggerModule.setup(OPENAPI_UI_PATH, app, () => buildOpenApiDocument(app), {
      jsonDocumentUrl: OPENAPI_JSON_PATH,
      yamlDocumentUrl: 'docs/openapi.yaml',
    });
  }
  await app.init();
}
