import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestContext } from './request-context';
import { requestIdFor } from './request-id';

/** Opens the request's context; `id` was set by Fastify's genReqId (see bootstrap.ts). */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: IncomingMessage & { id?: string }, _res: ServerResponse, next: () => void): void {
    RequestContext.run({ requestId: req.id ?? requestIdFor(req) }, next);
  }
}
