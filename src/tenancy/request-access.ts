import type { RequestAccess } from './principal';

// Handed from AccessGuard to TenantContextInterceptor on the request object itself, which neither
// outlives the request nor can be reached from another one.
const accessByRequest = new WeakMap<object, RequestAccess>();

export function attachAccess(request: object, access: RequestAccess): void {
  accessByRequest.set(request, access);
}

export function attachedAccess(request: object): RequestAccess | undefined {
  return accessByRequest.get(request);
}
