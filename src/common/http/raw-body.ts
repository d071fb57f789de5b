import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';

const rawBodies = new WeakMap<object, Buffer>();

/**
 * Keeps the exact request bytes of the given POST routes (full paths, e.g. `/api/v1/webhooks/whatsapp`)
 * for handlers that must check a signature over them; the body is still parsed as usual. Every other
 * route is untouched. The limit is enforced here, since the bytes are read before the parser's check.
 */
export function keepRawBody(fastify: FastifyInstance, routes: readonly string[], bodyLimit: number): void {
  const wanted = new Set(routes);
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    if (request.method !== 'POST' || !wanted.has(request.routeOptions.url ?? '')) return payload;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      size += (chunk as Buffer).length;
      if (size > bodyLimit) throw Object.assign(new Error('Request body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks);
    rawBodies.set(request, raw);
    return Object.assign(Readable.from([raw]), { receivedEncodedLength: raw.length });
  });
}

/** The bytes keepRawBody() kept for this request (undefined on other routes or without a body). */
export function rawBodyOf(request: FastifyRequest): Buffer | undefined {
  return rawBodies.get(request);
}
