import type { FastifyInstance } from 'fastify';
import { assertWithinLimits, type InputLimits } from './input-limits';

/**
 * The query string and path parameters get the checks the body parser gives bodies (text that
 * cannot be stored, strings over the limit), after routing and before any guard or handler: a
 * `%00` in `?search=` or in `/storefront/:slug` is a 400 naming the parameter, not a database error.
 */
export function registerRequestInputHook(fastify: FastifyInstance, limits: InputLimits): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    try {
      assertWithinLimits(request.query, limits, 'query string');
      assertWithinLimits(request.params, limits, 'path');
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  });
}
