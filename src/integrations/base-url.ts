import type { FastifyRequest } from 'fastify';

/** How the caller reached us (`https://host[:port]`), for URLs shown to them when PUBLIC_BASE_URL is unset. */
export function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
