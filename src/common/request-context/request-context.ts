import { AsyncLocalStorage } from 'node:async_hooks';

/** What is known about the current request. The tenancy layer adds the tenant and principal. */
export interface RequestContextStore {
  requestId: string;
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
