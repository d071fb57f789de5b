import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { TenancyError, TenancyErrorCode } from './tenancy.errors';
import { attachedAccess } from './request-access';

/** The verified principal of the request (routes that are not public only). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const access = attachedAccess(context.switchToHttp().getRequest<object>());
  if (!access) throw new TenancyError(TenancyErrorCode.TENANT_CONTEXT_MISSING, 'No principal on a route that needs one');
  return access.principal;
});
