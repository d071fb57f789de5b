import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { pathOf } from '../common/http/url';
import { AuditService } from '../audit/audit.service';
import { MetricsService } from '../metrics/metrics.service';
import type { TenantStatus } from '../generated/prisma/enums';
import type { Principal, RequestAccess, UserPrincipal } from '../tenancy/principal';
import { attachAccess } from '../tenancy/request-access';
import { DenialReason, OPERATOR_OVERRIDE_HEADER, TENANT_SIGNATURE_COOKIE } from '../tenancy/tenancy.constants';
import { TenancyError, TenancyErrorCode } from '../tenancy/tenancy.errors';
import { TenantSignature } from '../tenancy/tenant-signature.service';
import { ACCESS_METADATA, type RouteAccess } from './access.decorators';
import { grantsScope, holdsResource } from './api-key-scopes';
import { PLATFORM_OPERATOR_SCOPE, ROLE_RANK, SUPPORT_SCOPE_PREFIX } from './auth.constants';
import { AuthError, AuthErrorCode } from './auth.errors';
import { CredentialService } from './credential.service';
import { CsrfPolicy } from './csrf-policy';
import { UsersRepository } from './users.repository';

const SAFE_METHODS = new Set(['GET', 'HEAD']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Authentication and authorization for every route (global guard). Reads the route's access
 * decorator, verifies the credential, checks the tenant cookie, and decides the request's tenant,
 * which TenantContextInterceptor then makes the context. 401 without a valid credential, 403 when
 * the principal may not do this.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialService,
    private readonly signatures: TenantSignature,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    private readonly csrf: CsrfPolicy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!access) throw new AuthError(AuthErrorCode.ROUTE_ACCESS_UNDECLARED, 'This route is not available');
    const override = request.headers[OPERATOR_OVERRIDE_HEADER];
    if (access.kind === 'public') {
      if (override !== undefined && !SAFE_METHODS.has(request.method)) await this.refuseOverrideWrite(request, null);
      return true;
    }

    const principal = await this.credentials.authenticate(request);
    if (!principal) throw new AuthError(AuthErrorCode.UNAUTHENTICATED, 'Authentication required');
    if (override !== undefined && !SAFE_METHODS.has(request.method)) await this.refuseOverrideWrite(request, principal);
    if (principal.kind === 'user') this.checkTenantSignature(request, principal);
    if (principal.kind === 'user' && principal.via === 'cookie') this.csrf.check(request);

    const resolved =
      typeof override === 'string' && access.kind === 'tenant'
        ? await this.operatorOverride(request, principal, override)
        : this.authorize(access, principal);
    attachAccess(request, resolved);
    return true;
  }

  private authorize(access: Exclude<RouteAccess, { kind: 'public' }>, principal: Principal): RequestAccess {
    const ownTenant = principal.kind === 'user' || principal.kind === 'api_key' ? principal.tenantId : null;
    const granted: RequestAccess = { principal, tenantId: ownTenant, operatorOverride: false };
    switch (access.kind) {
      case 'authenticated':
        return granted;
      case 'tenant':
        if (principal.kind === 'user' && principal.tenantId && principal.role && ROLE_RANK[principal.role] >= ROLE_RANK[access.minRole]) {
          return this.tenantInService(principal.tenantStatus, granted);
        }
        if (principal.kind === 'api_key' && (access.peopleOnly ? holdsResource(principal.scopes, access.scope) : grantsScope(principal.scopes, access.scope))) {
          return this.tenantInService(principal.tenantStatus, granted);
        }
        throw this.forbidden(principal.kind === 'service_account' || (principal.kind === 'user' && !principal.tenantId)
          ? 'This route needs a tenant: sign in to one or use its API key'
          : 'Not allowed for your role or key scopes');
      case 'operator':
        if (principal.kind === 'user' && isOperator(principal, access.write)) return granted;
        if (principal.kind === 'service_account' && access.serviceScope && principal.scopes.includes(access.serviceScope)) return granted;
        throw this.forbidden('Operators only');
    }
  }

  /**
   * A tenant's own principals reach its data only while it is ACTIVE. Operators still read a
   * suspended tenant through the override, which does not pass here.
   */
  private tenantInService(status: TenantStatus | null, granted: RequestAccess): RequestAccess {
    if (status === 'ACTIVE') return granted;
    this.metrics.isolationDenied(DenialReason.TENANT_NOT_ACTIVE);
    if (status === 'SUSPENDED') throw new AuthError(AuthErrorCode.TENANT_SUSPENDED, 'This tenant is suspended');
    throw new AuthError(AuthErrorCode.TENANT_UNAVAILABLE, 'This tenant is not in service');
  }

  /**
   * An operator reading one tenant's data: GET/HEAD only (writes were refused above). Every use is
   * audited. Refusals are platform events (no tenant: nobody may write into the trail of a tenant
   * they name) and throttled per principal, so they cannot flood the table either.
   */
  private async operatorOverride(request: FastifyRequest, principal: Principal, tenantId: string): Promise<RequestAccess> {
    const target = { targetType: 'tenant', targetId: tenantId.slice(0, 100) };
    const metadata = { method: request.method, path: pathOf(request.url).slice(0, 200) };
    if (principal.kind !== 'user' || !isOperator(principal, false)) {
      await this.audit.recordThrottled(principal, { ...target, action: 'operator.override.refused', metadata: { ...metadata, reason: 'not an operator' } }, request.ip);
      throw this.forbidden(`${OPERATOR_OVERRIDE_HEADER} is for operators`);
    }
    if (!(UUID.test(tenantId) && (await this.users.tenantExists(tenantId)))) {
      await this.audit.recordThrottled(principal, { ...target, action: 'operator.override.refused', metadata: { ...metadata, reason: 'unknown tenant' } }, request.ip);
      throw new AuthError(AuthErrorCode.OVERRIDE_TENANT_NOT_FOUND, `${OPERATOR_OVERRIDE_HEADER} does not name a tenant`);
    }
    await this.audit.record(principal, { ...target, tenantId, action: 'operator.override', metadata });
    return { principal, tenantId, operatorOverride: true };
  }

  private async refuseOverrideWrite(request: FastifyRequest, principal: Principal | null): Promise<never> {
    this.metrics.isolationDenied(DenialReason.OPERATOR_OVERRIDE_WRITE);
    await this.audit.recordThrottled(
      principal,
      { action: 'operator.override.refused', metadata: { method: request.method, path: pathOf(request.url).slice(0, 200), reason: 'not a safe method' } },
      request.ip,
    );
    throw new AuthError(AuthErrorCode.OPERATOR_OVERRIDE_READ_ONLY, `${OPERATOR_OVERRIDE_HEADER} is only allowed on GET and HEAD`);
  }

  /**
   * Browser sessions carry `tenant_sig` next to the token cookie. It must match the session's tenant,
   * user and session version; a bearer request that sends one anyway is held to the same rule.
   */
  private checkTenantSignature(request: FastifyRequest, principal: UserPrincipal): void {
    const cookie = request.cookies[TENANT_SIGNATURE_COOKIE];
    const required = principal.via === 'cookie' && principal.tenantId !== null;
    if (cookie === undefined && !required) return;
    const valid = principal.tenantId !== null && this.signatures.verify(cookie, principal.tenantId, principal.userId, principal.sessionVersion);
    if (!valid) {
      this.metrics.isolationDenied(DenialReason.TENANT_SIGNATURE);
      throw new TenancyError(TenancyErrorCode.TENANT_SIGNATURE_INVALID, 'Tenant signature cookie is missing or invalid');
    }
  }

  private forbidden(message: string): AuthError {
    this.metrics.isolationDenied(DenialReason.INSUFFICIENT_ACCESS);
    return new AuthError(AuthErrorCode.FORBIDDEN, message);
  }
}

/** `platform:operator` may do anything on platform routes; `support:*` may only read. */
function isOperator(principal: UserPrincipal, write: boolean): boolean {
  if (principal.platformScopes.includes(PLATFORM_OPERATOR_SCOPE)) return true;
  return !write && principal.platformScopes.some((scope) => scope.startsWith(SUPPORT_SCOPE_PREFIX));
}
