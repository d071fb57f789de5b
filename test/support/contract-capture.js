// What the contract test sees of each answer, taken from the Node response itself so nothing the
// application does later (onSend hooks, hijacked replies such as MCP's) escapes it. Plain CommonJS:
// the in-process test apps use it, and so do servers started as child processes, which run dist/
// without a TypeScript loader (contract-capture.preload.js). It only observes: it never changes an
// answer, and a failure in it is reported as a finding instead of thrown into the request.

/** Bodies above this are not kept (none of the API's answers comes near it). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Calls `onExchange({ method, url, route, status, headers, body, testOnly })` for every answer
 * `fastify` sends, just before its last bytes are written. `isTestOnly(request)` says whether the
 * route was mounted by a test (default: the route's `config.testOnly`).
 */
function captureExchanges(fastify, onExchange, isTestOnly = (request) => request.routeOptions?.config?.testOnly === true) {
  fastify.addHook('onRequest', (request, reply, done) => {
    tee(request, reply.raw, onExchange, isTestOnly);
    done();
  });
}

function tee(request, raw, onExchange, isTestOnly) {
  const chunks = [];
  let size = 0;
  let written = {};
  let captured = false;
  const keep = (chunk, encoding) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const buffer = Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : Buffer.from(chunk);
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  };
  const { write, end, writeHead } = raw;
  raw.writeHead = function (...args) {
    const headers = args.find((arg, index) => index > 0 && arg && typeof arg === 'object');
    if (headers && !Array.isArray(headers)) written = headers;
    return writeHead.apply(this, args);
  };
  raw.write = function (chunk, encoding, ...rest) {
    keep(chunk, encoding);
    return write.call(this, chunk, encoding, ...rest);
  };
  raw.end = function (chunk, encoding, ...rest) {
    if (captured) return end.call(this, chunk, encoding, ...rest);
    captured = true;
    keep(chunk, encoding);
    try {
      const headers = {};
      for (const [name, value] of Object.entries({ ...written, ...raw.getHeaders() })) headers[name.toLowerCase()] = value;
      onExchange({
        method: request.method,
        url: request.url,
        route: request.routeOptions?.url,
        status: raw.statusCode,
        headers,
        body: size <= MAX_BODY_BYTES ? Buffer.concat(chunks).toString('utf8') : undefined,
        testOnly: isTestOnly(request),
      });
    } catch (error) {
      onExchange({ method: request.method, url: request.url, status: raw.statusCode, headers: {}, captureError: String(error?.stack ?? error) });
    }
    return end.call(this, chunk, encoding, ...rest);
  };
}

module.exports = { captureExchanges };
