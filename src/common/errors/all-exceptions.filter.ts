import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestContext } from '../request-context/request-context';
import { toErrorResponse } from './error-response';

/**
 * Renders every error, whether thrown in a handler (Nest) or by the HTTP server before one runs
 * (body parsing, limits: registered as Fastify's error handler in bootstrap.ts).
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.reply(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }

  reply(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const { status, body, unexpected } = toErrorResponse(exception);
    const requestId = RequestContext.requestId() ?? String(request.id);
    if (unexpected) {
      this.logger.error({ err: exception, method: request.method, url: request.url }, 'unhandled error');
    } else {
      this.logger.log({ status, code: body.code }, `request failed: ${body.error}`);
    }
    if (reply.sent) return;
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send({ ...body, requestId });
  }
}
