import { AsyncLocalStorage } from 'node:async_hooks';

import type { RequestAccess } from '../../tenancy/principal';

/** What is known about the current request. The tenancy layer adds the tenant and principal. */
export interface RequestContextStore {
  requestId: string;
  /** Set once by TenantContextInterceptor after authentication (see tenancy/tenant-context.ts). */
  access?: Readonly<RequestAccess>;
}

const storage = new AsyncLocalStorage<RequestContextStore>();

/** Per-request context, opened by RequestContextMiddleware so guards, services and the error filter see it. */
export const RequestContext = {
  run<T>(store: RequestContextStore, work: () => T): T {
    return storage.run(store, work);
  },
  current(): RequestContextStore | undefined {
    return storage.getStore();
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
};
