import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AppModule } from '../app.module';
import { createHttpAdapter } from '../bootstrap';
import { API_PREFIX, UNPREFIXED_ROUTES } from '../common/constants';
import { PROJECT_ROOT } from '../common/project-root';
import { buildOpenApiDocument, serializeOpenApiDocument } from './openapi-document';

export const OPENAPI_FILE = join(PROJECT_ROOT, 'docs', 'openapi.json');

/**
 * `npm run openapi` writes docs/openapi.json from the code; `-- --check` exits 1 when the checked-in
 * file differs. Preview mode reads controllers and DTOs without instantiating providers, so neither
 * a database nor a valid configuration is needed.
 */
async function main(args: string[]): Promise<number> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHttpAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED_ROUTES });
  const generated = serializeOpenApiDocument(buildOpenApiDocument(app));
  await app.close();

  const shown = relative(PROJECT_ROOT, OPENAPI_FILE);
  if (args.includes('--check')) {
    const current = existsSync(OPENAPI_FILE) ? readFileSync(OPENAPI_FILE, 'utf8') : '';
    if (current === generated) {
      process.stdout.write(`${shown} matches the code.\n`);
      return 0;
    }
    process.stderr.write(`${shown} is out of date with the code: run \`npm run openapi\` and commit it.\n`);
    return 1;
  }
  writeFileSync(OPENAPI_FILE, generated);
  process.stdout.write(`Wrote ${shown}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
