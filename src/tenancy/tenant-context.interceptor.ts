import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { attachedAccess } from './request-access';
import { TenantContext } from './tenant-context';

/**
 * Fills the request's tenant context (tenant and principal) from what AccessGuard verified, once,
 * before the handler runs; it is frozen from then on. A singleton: the per-request state lives in
 * AsyncLocalStorage, so no provider has to be request-scoped.
 */
@Injectable()
export class TenantContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const access = attachedAccess(context.switchToHttp().getRequest<object>());
    if (access) TenantContext.establish(access);
    return next.handle();
  }
}
