// pino-http's options as the service set them before issue #15's ninth session: every secret key also
// as a pino wildcard path (`*.password`, `*.*.password`, …), which pino runs on each child logger's
// bindings as the child is made, so on every request; no `formatters.log`, no `logMethod` hook, and a
// request serializer that only drops the query. bench/logging and bench/isolation's wildcard-redact
// variant measure the service against it (docs/benchmarks.md, "Nested secrets redacted when a line
// is written").
'use strict';

const path = require('node:path');

const DIST = path.resolve(__dirname, '..', '..', 'dist');

/** The service's pino-http options (`loggerOptions(...).pinoHttp[0]`) with redaction as it was before. */
exports.withWildcardRedaction = function withWildcardRedaction(options) {
  const { SECRET_KEYS } = require(path.join(DIST, 'common', 'logging', 'log-redaction.js'));
  const { serializeError } = require(path.join(DIST, 'common', 'logging', 'error-serializer.js'));
  const { pathOf } = require(path.join(DIST, 'common', 'http', 'url.js'));
  const paths = [...options.redact.paths, ...SECRET_KEYS.flatMap((key) => [`*.${key}`, `*.*.${key}`])];
  const serializers = { req: (req) => ({ ...req, url: pathOf(req.url ?? ''), query: undefined }), err: serializeError };
  return { ...options, formatters: undefined, hooks: {}, redact: { ...options.redact, paths }, serializers };
};
