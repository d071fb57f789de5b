import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../tenancy/principal';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantDatabase } from '../tenancy/tenant-database.service';
import { assertMayIssue } from './api-key-issuing';
import { canonicalScope } from './api-key-scopes';
import { ApiKeysRepository } from './api-keys.repository';
import { API_KEY_WILDCARD_SCOPE } from './auth.constants';
import { AuthError, AuthErrorCode } from './auth.errors';
import { CredentialCache } from './credential-cache.service';
import type { ApiKeyOutput, ApiKeyPageOutput, ApiKeyWithSecretOutput } from './dto/api-key.output';
import { RouteScopes } from './route-scopes.service';
import { generateKeyMaterial } from './secret-tokens';

/** A tenant's API keys. Secrets are generated here, returned once and stored only as hashes. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly database: TenantDatabase,
    private readonly keys: ApiKeysRepository,
    private readonly audit: AuditService,
    private readonly routeScopes: RouteScopes,
    private readonly keyCache: CredentialCache,
  ) {}

  list(limit: number, offset: number): Promise<ApiKeyPageOutput> {
    return this.keys.page(this.database, limit, offset).then((page) => ({ ...page, limit, offset }));
  }

  async get(id: string): Promise<ApiKeyOutput> {
    return (await this.database.run((db) => this.keys.find(db, id))) ?? notFound();
  }

  create(actor: Principal, input: { name: string; scopes?: string[]; expiresAt?: Date }): Promise<ApiKeyWithSecretOutput> {
    const scopes = [...new Set((input.scopes ?? [API_KEY_WILDCARD_SCOPE]).map(canonicalScope))];
    const unknown = this.routeScopes.unknown(scopes);
    if (unknown.length > 0) {
      throw new AuthError(
        AuthErrorCode.UNKNOWN_SCOPE,
        'Unknown scope: no route checks it, so the key would be refused everywhere it is meant for',
        unknown.map((scope) => ({ field: 'scopes', message: `${scope} is not a scope (see docs/security.md, "Scopes")` })),
      );
    }
    const expiresAt = input.expiresAt ?? null;
    assertMayIssue(actor, { scopes, expiresAt });
    // Key material is made before the transaction: nothing slow or fallible inside it.
    const material = generateKeyMaterial('tenant');
    return this.database.run(async (db) => {
      const key = await this.keys.create(db, { publicId: material.publicId, secretHash: material.secretHash, name: input.name, scopes, expiresAt });
      await this.audit.record(actor, this.event('api_key.created', key.id, { name: key.name, scopes: key.scopes }), db);
      return { ...key, secretKey: material.secret };
    });
  }

  async rotate(actor: Principal, id: string): Promise<ApiKeyWithSecretOutput> {
    const material = generateKeyMaterial('tenant');
    const { key, previousPublicId } = await this.database.run(async (db) => {
      const current = await this.keys.find(db, id);
      if (!current || current.revokedAt) notFound();
      // Rotating hands the caller the key's new secret: the same limits as creating it.
      assertMayIssue(actor, current);
      const key = (await this.keys.replaceSecret(db, id, material.publicId, material.secretHash)) ?? notFound();
      await this.audit.record(actor, this.event('api_key.rotated', key.id, { publicId: key.publicId }), db);
      return { key, previousPublicId: current.publicId };
    });
    // After the commit: the old secret is refused on the next request, on every replica.
    await this.keyCache.invalidateApiKey(previousPublicId);
    return { ...key, secretKey: material.secret };
  }

  async revoke(actor: Principal, id: string): Promise<void> {
    const publicId = await this.database.run(async (db) => {
      const current = await this.keys.find(db, id);
      if (!current || !(await this.keys.revoke(db, id, new Date()))) notFound();
      await this.audit.record(actor, this.event('api_key.revoked', id), db);
      return current.publicId;
    });
    await this.keyCache.invalidateApiKey(publicId);
  }

  private event(action: string, keyId: string, metadata?: Record<string, unknown>) {
    return { action, tenantId: TenantContext.requireTenantId(), targetType: 'api_key', targetId: keyId, metadata };
  }
}

/** Another tenant's key and a key that does not exist look the same: existence does not leak. */
function notFound(): never {
  throw new AuthError(AuthErrorCode.API_KEY_NOT_FOUND, 'API key not found');
}
