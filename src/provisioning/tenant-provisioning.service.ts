import { Injectable, Logger } from '@nestjs/common';
import { toActor, type AuditActor } from '../audit/audit.service';
import { generateKeyMaterial } from '../auth/secret-tokens';
import { uuidV7 } from '../common/ids/uuid-v7';
import type { Principal } from '../tenancy/principal';
import { ProvisioningError, ProvisioningErrorCode } from './provisioning.errors';
import { DEFAULT_COMMISSION_PERCENT } from './tenant-defaults';
import { ProvisioningRepository } from './provisioning.repository';
import { toPackageOutput, toSegmentOutput } from '../catalog/catalog-output';
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
 * Creates tenants whole. One statement, hence one transaction, writes the tenant, its owner and OWNER
 * membership, the General segment, the three default packages, the first API key and the audit
 * event; a failure at any step rolls all of it back, so no tenant ever exists half-made. Key material
 * is generated before and its secret is returned once (only its hash is stored).
 */
@Injectable()
export class TenantProvisioningService {
  private readonly logger = new Logger(TenantProvisioningService.name);

  constructor(private readonly repository: ProvisioningRepository) {}

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
    // Everything that can fail on input, or is slow, happens before the statement is sent.
    const settings = normaliseSettings(input.settings);
    const key = generateKeyMaterial('tenant');
    // Signup never reuses a user: its owner is the user this id creates (or the email is taken).
    const ownerId = uuidV7();
    const auditActor: Principal | AuditActor | null = source === 'signup' ? { actorType: 'USER', actorId: ownerId } : actor;
    try {
      const { tenant, user, segment, packages, apiKey } = await this.repository.provision(
        {
          slug: input.slug,
          name: input.name,
          email: input.email.toLowerCase(),
          domain: input.domain?.toLowerCase() ?? null,
          settings,
          commissionPercent: input.commissionPercent ?? DEFAULT_COMMISSION_PERCENT,
          phoneNumberId: input.phoneNumberId ?? null,
          genesysIntegrationId: input.genesysIntegrationId ?? null,
        },
        { id: ownerId, ...owner },
        key,
        { actor: toActor(auditActor), metadata: { source, slug: input.slug } },
      );
      return {
        tenant: toTenantOutput(tenant),
        segment: toSegmentOutput(segment),
        packages: packages.sort((a, b) => a.groupingOrder - b.groupingOrder).map(toPackageOutput),
        apiKey: { id: apiKey.id, publicId: apiKey.publicId, name: apiKey.name, scopes: apiKey.scopes, secretKey: key.secret },
        owner: { userId: user.id, email: user.email, passwordSet: user.passwordHash !== NO_PASSWORD },
      };
    } catch (error) {
      const conflict = conflictFromUniqueViolation(error);
      if (conflict) throw conflict;
      if (error instanceof ProvisioningError) throw error;
      this.logger.error({ err: error, slug: input.slug, source }, 'tenant provisioning failed; nothing was kept');
      throw new ProvisioningError(ProvisioningErrorCode.PROVISIONING_FAILED, 'The tenant could not be created; nothing was saved. Try again.');
    }
  }
}
