import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from '../constants';
import { pathOf } from '../http/url';
import { RequestContext } from '../request-context/request-context';
import { toErrorResponse } from './error-response';

/**
 * Renders every error: thrown in a handler, raised by Fastify while reading the request (body
 * parsing and limits reach here through Nest's error handler), or before routing (a malformed URL:
 * Fastify's `frameworkErrors`, set in bootstrap.ts). Requests Node rejects before Fastify sees them
 * are answered by client-error-handler.ts in the same shape.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.reply(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }

  reply(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const { status, body, unexpected, retryAfterSeconds } = toErrorResponse(exception);
    const requestId = RequestContext.requestId() ?? String(request.id);
    if (unexpected) {
      this.logger.error({ err: exception, method: request.method, path: pathOf(request.url) }, 'unhandled error');
    } else {
      this.logger.log({ status, code: body.code }, `request failed: ${body.error}`);
    }
    if (reply.sent) return;
    if (retryAfterSeconds !== undefined) void reply.header('retry-after', retryAfterSeconds);
    void reply
      .status(status)
      .header(REQUEST_ID_HEADER, requestId)
      .header('content-type', 'application/json; charset=utf-8')
      .send({ ...body, requestId });
  }
}
