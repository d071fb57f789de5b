import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, mergeMap, type Observable, of } from 'rxjs';
import { catchError } from 'rxjs/operators';
import { ACCESS_METADATA, type RouteAccess } from '../auth/access.decorators';
import { sha256Hex } from '../common/crypto/sealed-box';
import { toErrorResponse } from '../common/errors/error-response';
import { RequestContext } from '../common/request-context/request-context';
import { TenantContext } from '../tenancy/tenant-context';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_METADATA, IDEMPOTENT_REPLAYED_HEADER, UNSTORED_ERROR_CODES } from './idempotency.constants';
import type { IdempotencyMode } from './idempotency.decorators';
import { IdempotencyError, IdempotencyErrorCode } from './idempotency.errors';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotencyService, type IdempotencyScope } from './idempotency.service';

const UNSAFE = new Set(['POST', 'PATCH']);

/** Which routes take the header: every POST/PATCH of a tenant principal, plus routes marked `email`. */
export function idempotencyApplies(access: RouteAccess | undefined, method: string, mode: IdempotencyMode | undefined): boolean {
  if (mode === 'none') return false;
  if (mode === 'email') return true;
  return access?.kind === 'tenant' && UNSAFE.has(method.toUpperCase());
}

/**
 * `Idempotency-Key` on the routes it applies to (after the tenant context is set). The first request
 * runs and its answer (status and body, sealed) is stored; a repeat gets that answer with
 * `Idempotent-Replayed: true`. Answers to refused input and 5xx are not stored: the key is released.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly idempotency: IdempotencyService,
    private readonly repository: IdempotencyRepository,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (header === undefined) return next.handle();
    const targets = [context.getHandler(), context.getClass()];
    const mode = this.reflector.getAllAndOverride<IdempotencyMode | undefined>(IDEMPOTENCY_METADATA, targets);
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_METADATA, targets);
    if (!idempotencyApplies(access, request.method, mode)) return next.handle();
    if (typeof header !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(header)) {
      throw new IdempotencyError(IdempotencyErrorCode.INVALID_IDEMPOTENCY_KEY, 'Idempotency-Key must be 1-255 printable ASCII characters');
    }
    const scope = this.scopeOf(mode, request);
    if (!scope) return next.handle(); // no email to key by: validation will refuse the body
    const fingerprint = IdempotencyService.fingerprint(request.method, request.url, request.body);
    const reply = context.switchToHttp().getResponse<FastifyReply>();

    return from(this.idempotency.begin(scope, header, fingerprint)).pipe(
      mergeMap((begun) => {
        if (begun.kind === 'replay') {
          reply.status(begun.answer.status).header(IDEMPOTENT_REPLAYED_HEADER, 'true');
          return of(begun.answer.body ?? undefined);
        }
        return next.handle().pipe(
          mergeMap(async (body: unknown) => {
            await this.idempotency.complete(scope, header, begun.id, { status: reply.statusCode, body: body ?? null });
            return body;
          }),
          catchError(async (error: unknown) => {
            const { status, body } = toErrorResponse(error);
            if (status < 500 && !UNSTORED_ERROR_CODES.has(body.code)) {
              await this.idempotency.complete(scope, header, begun.id, { status, body: { ...body, requestId: RequestContext.requestId() } });
            } else {
              await this.idempotency.release(scope, begun.id);
            }
            throw error;
          }),
        );
      }),
    );
  }

  private scopeOf(mode: IdempotencyMode | undefined, request: FastifyRequest): IdempotencyScope | null {
    if (mode === 'email') {
      const email = (request.body as { email?: unknown } | undefined)?.email;
      if (typeof email !== 'string') return null;
      const emailHash = sha256Hex(email.trim().toLowerCase());
      return { records: this.repository.forSignup(emailHash), aad: `idempotency|signup|${emailHash}` };
    }
    return { records: this.repository.forTenant(), aad: `idempotency|${TenantContext.requireTenantId()}` };
  }
}
