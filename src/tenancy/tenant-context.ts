import { randomUUID } from 'node:crypto';
import { RequestContext } from '../common/request-context/request-context';
import type { Principal, RequestAccess } from './principal';
import { TenancyError, TenancyErrorCode } from './tenancy.errors';

/**
 * Who the current request is for (wall 3 of docs/security.md). Written once per request by
 * TenantContextInterceptor from the verified credential, frozen, and read everywhere else. Anything
 * that needs a tenant and finds none throws: it fails closed.
 */
export const TenantContext = {
  /** Called once per request, after authentication. A second call is a bug and throws. */
  establish(access: RequestAccess): void {
    const store = RequestContext.current();
    if (!store) throw new TenancyError(TenancyErrorCode.TENANT_CONTEXT_MISSING, 'No request context is open');
    if (store.access) throw new TenancyError(TenancyErrorCode.TENANT_CONTEXT_ALREADY_SET, 'The tenant context is already set');
    store.access = Object.freeze({ ...access, principal: Object.freeze({ ...access.principal }) });
  },

  access(): Readonly<RequestAccess> | undefined {
    return RequestContext.current()?.access;
  },

  principal(): Readonly<Principal> | undefined {
    return RequestContext.current()?.access?.principal;
  },

  tenantId(): string | undefined {
    return RequestContext.current()?.access?.tenantId ?? undefined;
  },

  requireTenantId(): string {
    const tenantId = TenantContext.tenantId();
    if (!tenantId) throw new TenancyError(TenancyErrorCode.TENANT_CONTEXT_MISSING, 'No tenant in context');
    return tenantId;
  },

  /**
   * Runs work outside any request (a job, a CLI, provisioning) as `principal` for `tenantId`, in a
   * fresh context of its own: it neither sees nor changes the caller's.
   */
  runAs<T>(access: RequestAccess, work: () => T): T {
    const requestId = RequestContext.requestId() ?? `system-${randomUUID()}`;
    return RequestContext.run({ requestId, access: Object.freeze({ ...access }) }, work);
  },
};
