// `node --require` this before dist/main.js (ServerProcess does) to record every answer the server
// sends, one JSON line each, to CONTRACT_RECORD_FILE; the test process checks them against the
// OpenAPI document (contract-recorder.ts). Fastify announces each instance it creates on this
// diagnostics channel, so the application's code carries nothing for it.
const { subscribe } = require('node:diagnostics_channel');
const { appendFileSync } = require('node:fs');
const { captureExchanges } = require('./contract-capture');

const file = process.env.CONTRACT_RECORD_FILE;
if (file) {
  // Written synchronously before the answer's last bytes leave, so the test never reads too early.
  subscribe('fastify.initialization', ({ fastify }) => captureExchanges(fastify, (exchange) => appendFileSync(file, `${JSON.stringify(exchange)}\n`)));
}
