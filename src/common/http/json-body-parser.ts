import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CommonError, CommonErrorCode } from '../errors/common.errors';
import { assertWithinLimits, type InputLimits } from './input-limits';
import { scanJsonStructure } from './json-structure';

/**
 * The only request body format: `application/json` in UTF-8. Fastify's and Nest's other parsers
 * (form-urlencoded, text/plain) are removed, so any other body is 415: a form post is a cross-site
 * "simple request" a browser sends without asking, and JSON is not. Bodies are checked against the
 * input limits here, their structure before JSON.parse and their strings after, before any guard,
 * pipe or handler sees them.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number, limits: InputLimits): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    const refusal = refuse(request, body as string, limits);
    if (refusal) {
      done(refusal, undefined);
      return;
    }
    void parseJson(request, body as string, (error, parsed) => {
      if (error) return done(error, undefined);
      try {
        assertWithinLimits(parsed, limits);
      } catch (limitError) {
        return done(limitError as CommonError, undefined);
      }
      done(null, parsed);
    });
  });
}

function refuse(request: FastifyRequest, body: string, limits: InputLimits): CommonError | undefined {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) {
    return new CommonError(CommonErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Request bodies must be JSON in UTF-8');
  }
  const problem = scanJsonStructure(body, limits);
  if (problem?.kind === 'depth') return new CommonError(CommonErrorCode.INVALID_JSON, `Request body nests deeper than ${limits.maxDepth} levels`);
  if (problem) {
    const field = problem.path.join('.');
    return new CommonError(CommonErrorCode.PAYLOAD_TOO_LARGE, 'Request exceeds an input limit', [field ? { field, message: problem.message } : { message: `the body ${problem.message}` }]);
  }
  return undefined;
}
