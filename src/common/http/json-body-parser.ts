import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CommonError, CommonErrorCode } from '../errors/common.errors';

/** Deeper bodies are refused before parsing: recursion over them (validation) would overflow the stack. */
export const MAX_JSON_DEPTH = 64;

/**
 * The only request body format: `application/json` in UTF-8. Fastify's and Nest's other parsers
 * (form-urlencoded, text/plain) are removed, so any other body is 415: a form post is a cross-site
 * "simple request" a browser sends without asking, and JSON is not.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    const refusal = refuse(request, body as string);
    if (refusal) {
      done(refusal, undefined);
      return;
    }
    void parseJson(request, body as string, done);
  });
}

function refuse(request: FastifyRequest, body: string): CommonError | undefined {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) {
    return new CommonError(CommonErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Request bodies must be JSON in UTF-8');
  }
  if (depthExceeds(body, MAX_JSON_DEPTH)) {
    return new CommonError(CommonErrorCode.INVALID_JSON, `Request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return undefined;
}

/** Bracket depth outside strings, without parsing. */
export function depthExceeds(json: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const char = json.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      if (++depth > limit) return true;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  return false;
}
