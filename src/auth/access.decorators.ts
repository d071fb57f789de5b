import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiExtension } from '@nestjs/swagger';
import type { MembershipRole } from '../generated/prisma/enums';
import { RateLimitName } from '../rate-limit/rate-limit.constants';
import { PLATFORM_OPERATOR_SCOPE, SUPPORT_SCOPE_PREFIX } from './auth.constants';
import { ApiRateLimited } from '../rate-limit/rate-limit.decorators';

export const ACCESS_METADATA = 'access';

/**
 * What a route requires. Every route declares one (a reflection test checks); a route without any
 * is refused for everyone (AccessGuard), the strictest default.
 */
export type RouteAccess =
  | { kind: 'public' }
  /** Any verified principal, tenant or not (session routes: logout, switch-tenant). */
  | { kind: 'authenticated' }
  /**
   * A principal of one tenant: a member with at least `minRole`, or an API key holding `scope`.
   * `peopleOnly`: `scope` is a bare resource, and a key holding any of its scopes reaches the handler
   * only to be told no (404 for an id that is not its tenant's, else 403 HUMAN_CONFIRMATION_REQUIRED).
   */
  | { kind: 'tenant'; minRole: MembershipRole; scope: string; peopleOnly: boolean }
  /** Operators: `platform:operator`; `support:*` too when `write` is false. */
  | { kind: 'operator'; write: boolean; serviceScope?: string };

export interface TenantScopedOptions {
  /** Least role a member needs (MEMBER < ADMIN < OWNER). Default MEMBER. */
  minRole?: MembershipRole;
  /** Scope an API key needs for this route (`resource:action`, see api-key-scopes.ts); with peopleOnly, a resource. */
  scope: string;
  /**
   * Only a signed-in person may do this (confirming an agent's proposal). The handler must refuse
   * every key (the route-access spec lists these routes, so a new one is reviewed).
   */
  peopleOnly?: boolean;
}

export interface OperatorOptions {
  /** Changes platform state: `platform:operator` only. */
  write?: boolean;
  /** Service accounts holding this scope may call the route too. */
  serviceScope?: string;
}

/**
 * What an operation needs, for the OpenAPI document: an API key's scope (tenant routes) or the
 * principal's platform scopes (operator routes); `*` and a resource-wide scope also grant `resource:action`.
 */
export function requiredScopes(access: RouteAccess): string[] {
  switch (access.kind) {
    case 'tenant':
      return [access.scope];
    case 'operator':
      return [PLATFORM_OPERATOR_SCOPE, ...(access.write ? [] : [`${SUPPORT_SCOPE_PREFIX}*`]), ...(access.serviceScope ? [access.serviceScope] : [])];
    default:
      return [];
  }
}

/**
 * The OpenAPI document states each operation's access as `x-access` (the isolation tests read it),
 * its scopes as `x-required-scopes` and a tenant route's least member role as `x-required-role`;
 * src/openapi/access-docs.ts says the same in words.
 */
const withMetadata = (access: RouteAccess, ...docs: Array<ClassDecorator & MethodDecorator>) =>
  applyDecorators(
    SetMetadata(ACCESS_METADATA, access),
    ApiExtension('x-access', access.kind),
    ApiExtension('x-required-scopes', requiredScopes(access)),
    ...(access.kind === 'tenant' ? [ApiExtension('x-required-role', access.minRole), ApiExtension('x-people-only', access.peopleOnly)] : []),
    ...docs,
  );

/** No credential needed. */
export const Public = () => withMetadata({ kind: 'public' });

export const Authenticated = () => withMetadata({ kind: 'authenticated' }, ApiBearerAuth(), ApiCookieAuth());

/**
 * Reads or changes one tenant's data: the tenant comes from the credential, never from input.
 * Counted against the tenant's rate limit (and the API key's, for keys).
 */
export const TenantScoped = (options: TenantScopedOptions) =>
  withMetadata(
    { kind: 'tenant', minRole: options.minRole ?? 'MEMBER', scope: options.scope, peopleOnly: options.peopleOnly ?? false },
    ApiBearerAuth(),
    ApiCookieAuth(),
    ApiRateLimited(RateLimitName.TENANT, RateLimitName.API_KEY),
  );

export const Operator = (options: OperatorOptions = {}) =>
  withMetadata({ kind: 'operator', write: options.write ?? false, serviceScope: options.serviceScope }, ApiBearerAuth());
