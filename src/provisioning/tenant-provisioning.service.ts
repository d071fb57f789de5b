import { Injectable, Logger } from '@nestjs/common';
import { AuditService, type AuditActor } from '../audit/audit.service';
import { generateKeyMaterial, type KeyMaterial } from '../auth/secret-tokens';
import { Prisma } from '../generated/prisma/client';
import type { Principal } from '../tenancy/principal';
import { TenantDatabase, type TenantTransaction } from '../tenancy/tenant-database.service';
import { ProvisioningError, ProvisioningErrorCode } from './provisioning.errors';
import { DEFAULT_COMMISSION_PERCENT, DEFAULT_PACKAGES, FIRST_API_KEY } from './tenant-defaults';
import { CatalogService } from '../catalog/catalog.service';
import { assertSlugAllowed, normaliseSettings, slugFromName, withSuffix, type TenantSettings } from './tenant-fields';
import { conflictFromUniqueViolation } from './tenant-conflicts';
import { toTenantOutput } from './tenant-output';
import type { ProvisionedTenantOutput } from './dto/tenant.output';

/** A user row's password hash when none was set (operator-created owners): never verifies. */
export const NO_PASSWORD = '!';

export interface ProvisionTenantInput {
  name: string;
  email: string;
  slug?: string;
  domain?: string;
  settings?: Partial<TenantSettings>;
  commissionPercent?: number;
  phoneNumberId?: string;
  genesysIntegrationId?: string;
  /** Who owns the tenant; default `email`. */
  ownerEmail?: string;
}

export interface SignupInput {
  email: string;
  /** Already hashed (argon2id): hashing is slow and stays outside the transaction. */
  passwordHash: string;
  businessName: string;
  slug?: string;
}

export type ProvisionedTenant = ProvisionedTenantOutput;

/** How many fresh suffixes a derived slug gets before its conflict is reported. */
const DERIVED_SLUG_ATTEMPTS = 3;

/**
 * Creates tenants whole. One transaction writes the tenant, its owner and OWNER membership, the
 * General segment, the three default packages, the first API key and the audit event; a failure at
 * any step rolls all of it back, so no tenant ever exists half-made. Key material is generated before
 * the transaction and its secret is returned once (only its hash is stored).
 */
@Injectable()
export class TenantProvisioningService {
  private readonly logger = new Logger(TenantProvisioningService.name);

  constructor(
    private readonly database: TenantDatabase,
    private readonly audit: AuditService,
    private readonly catalog: CatalogService,
  ) {}

  /** Operators: a tenant with defaults and a key; its owner is an existing or password-less user. */
  createFullyProvisioned(input: ProvisionTenantInput, actor: Principal | null = null): Promise<ProvisionedTenant> {
    const ownerEmail = (input.ownerEmail ?? input.email).toLowerCase();
    return this.withSlug(input.slug, input.name, (slug) =>
      this.provision({ ...input, slug }, { email: ownerEmail, passwordHash: NO_PASSWORD, reuseExisting: true }, actor, 'platform'),
    );
  }

  /** Public signup: a new user owns the new tenant; an email already registered is EMAIL_TAKEN. */
  createFromSignup(input: SignupInput): Promise<ProvisionedTenant> {
    const email = input.email.toLowerCase();
    return this.withSlug(input.slug, input.businessName, (slug) =>
      this.provision({ name: input.businessName, email, slug }, { email, passwordHash: input.passwordHash, reuseExisting: false }, null, 'signup'),
    );
  }

  /**
   * A slug the caller chose is used as is (taken: 409). One derived from the name gets a random
   * suffix when taken, a few times, so signing up as "Studio" does not fail because another did.
   */
  private async withSlug(requested: string | undefined, name: string, create: (slug: string) => Promise<ProvisionedTenant>): Promise<ProvisionedTenant> {
    if (requested !== undefined) {
      assertSlugAllowed(requested);
      return create(requested);
    }
    let slug = slugFromName(name);
    for (let attempt = 1; ; attempt++) {
      try {
        return await create(slug);
      } catch (error) {
        const slugTaken = error instanceof ProvisioningError && error.code === ProvisioningErrorCode.TENANT_SLUG_TAKEN;
        if (!slugTaken || attempt >= DERIVED_SLUG_ATTEMPTS) throw error;
        slug = withSuffix(slugFromName(name));
      }
    }
  }

  private async provision(
    input: ProvisionTenantInput & { slug: string },
    owner: { email: string; passwordHash: string; reuseExisting: boolean },
    actor: Principal | null,
    source: 'platform' | 'signup',
  ): Promise<ProvisionedTenant> {
    // Everything that can fail on input, or is slow, happens before the transaction opens.
    const settings = normaliseSettings(input.settings);
    const key = generateKeyMaterial('tenant');
    try {
      return await this.database.runFromPlatform(
        async (tx) => {
          const tenant = await tx.tenant.create({
            data: {
              slug: input.slug,
              name: input.name,
              email: input.email.toLowerCase(),
              domain: input.domain?.toLowerCase() ?? null,
              settings: settings as unknown as Prisma.InputJsonValue,
              commissionPercent: input.commissionPercent ?? DEFAULT_COMMISSION_PERCENT,
              phoneNumberId: input.phoneNumberId ?? null,
              genesysIntegrationId: input.genesysIntegrationId ?? null,
              // Created and completed in one transaction: nobody ever sees it PROVISIONING.
              status: 'ACTIVE',
            },
          });
          const user = await this.ownerUser(tx, owner);
          await tx.tenantMembership.create({ data: { tenantId: tenant.id, userId: user.id, role: 'OWNER' } });
          return { tenantId: tenant.id, tenant, user };
        },
        async (db, { tenant, user }) => {
          // The catalog's own rules make the defaults: no package is created any other way.
          const segment = await this.catalog.createGeneralSegment(db);
          const packages = await this.catalog.createPackages(db, DEFAULT_PACKAGES.map((tier) => ({ ...tier, segmentId: segment.id })), 'provisioning');
          const apiKey = await this.firstApiKey(db, key);
          const auditActor: Principal | AuditActor | null = source === 'signup' ? { actorType: 'USER', actorId: user.id } : actor;
          await this.audit.record(
            auditActor,
            { action: 'tenant.created', tenantId: tenant.id, targetType: 'tenant', targetId: tenant.id, metadata: { source, slug: tenant.slug, ownerId: user.id } },
            db,
          );
          return {
            tenant: toTenantOutput(tenant),
            segment: segment,
            packages: packages.sort((a, b) => a.groupingOrder - b.groupingOrder),
            apiKey: { id: apiKey.id, publicId: apiKey.publicId, name: apiKey.name, scopes: apiKey.scopes, secretKey: key.secret },
            owner: { userId: user.id, email: user.email, passwordSet: user.passwordHash !== NO_PASSWORD },
          };
        },
      );
    } catch (error) {
      const conflict = conflictFromUniqueViolation(error);
      if (conflict) throw conflict;
      if (error instanceof ProvisioningError) throw error;
      this.logger.error({ err: error, slug: input.slug, source }, 'tenant provisioning failed; nothing was kept');
      throw new ProvisioningError(ProvisioningErrorCode.PROVISIONING_FAILED, 'The tenant could not be created; nothing was saved. Try again.');
    }
  }

  /** Signup always creates the user; an operator's create may name someone who already has one. */
  private async ownerUser(tx: TenantTransaction, owner: { email: string; passwordHash: string; reuseExisting: boolean }) {
    if (owner.reuseExisting) {
      const existing = await tx.user.findUnique({ where: { email: owner.email } });
      if (existing) return existing;
    }
    return tx.user.create({ data: { email: owner.email, passwordHash: owner.passwordHash } });
  }

  private firstApiKey(db: TenantTransaction, key: KeyMaterial) {
    return db.apiKey.create({
      data: { publicId: key.publicId, secretHash: key.secretHash, name: FIRST_API_KEY.name, scopes: [...FIRST_API_KEY.scopes] } as Prisma.ApiKeyUncheckedCreateInput,
      select: { id: true, publicId: true, name: true, scopes: true },
    });
  }
}
