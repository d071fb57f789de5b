import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_PATH } from '../common/constants';
import { PROJECT_ROOT } from '../common/project-root';

/** Where `npm run build` writes the console (console/vite.config.ts), next to the compiled server. */
export const CONSOLE_DIST = join(PROJECT_ROOT, 'dist', 'console-app');

/** Vite names built assets by content hash, so a browser may keep them for good. */
const ASSET_MAX_AGE_SECONDS = 365 * 24 * 3600;

/**
 * The admin console (console/, a single-page app) at /console, on the API's own origin: its cookie
 * session and the CSRF rule work as for any same-origin page, and no CORS is involved. Built files
 * are served as they are; any other path under /console without a file extension is a client-side
 * route and gets index.html. Nothing is served when the console was not built (tests that start
 * the app from src/): /console is then the ordinary 404.
 */
export async function registerConsole(fastify: FastifyInstance): Promise<boolean> {
  const indexFile = join(CONSOLE_DIST, 'index.html');
  if (!existsSync(indexFile)) return false;
  const index = readFileSync(indexFile);
  const prefix = `/${CONSOLE_PATH}`;

  await fastify.register(fastifyStatic, {
    root: CONSOLE_DIST,
    prefix: `${prefix}/`,
    // One route per built file, made now: the files never change while the server runs, and the
    // SPA fallback below can then be a plain wildcard route that never shadows a file.
    wildcard: false,
    index: false,
    // Swagger UI registers the plugin too; the console needs no reply.sendFile.
    decorateReply: false,
    setHeaders: (response, path) => {
      if (path.endsWith('.html')) void response.header('cache-control', 'no-cache');
      else void response.header('cache-control', `public, max-age=${ASSET_MAX_AGE_SECONDS}, immutable`);
    },
  });

  const page = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index);
  fastify.get(prefix, (_request, reply) => page(reply));
  fastify.get(`${prefix}/`, (_request, reply) => page(reply));
  fastify.get(`${prefix}/*`, (request, reply) => {
    const last = request.url.split('?')[0].split('/').pop() ?? '';
    // A missing asset (a stale tab asking for an old hash) is a 404, not the page.
    if (last.includes('.')) return reply.callNotFound();
    return page(reply);
  });
  return true;
}
