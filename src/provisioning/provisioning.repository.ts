import { Injectable } from '@nestjs/common';
import type { AuditActor } from '../audit/audit.service';
import type { PackageRow } from '../catalog/packages.repository';
import type { SegmentRow } from '../catalog/segments.repository';
import { uuidV7 } from '../common/ids/uuid-v7';
import { RequestContext } from '../common/request-context/request-context';
import { Prisma } from '../generated/prisma/client';
import { TenantDatabase } from '../tenancy/tenant-database.service';
import { DEFAULT_PACKAGES, DEFAULT_SEGMENT, FIRST_API_KEY } from './tenant-defaults';
import type { TenantSettings } from './tenant-fields';
import type { TenantRow } from './tenant-output';

export interface NewTenant {
  slug: string;
  name: string;
  email: string;
  domain: string | null;
  settings: TenantSettings;
  commissionPercent: number;
  phoneNumberId: string | null;
  genesysIntegrationId: string | null;
}

export interface NewOwner {
  /** The id a new user gets; ignored when an existing user is reused. */
  id: string;
  email: string;
  passwordHash: string;
  /** Operators may name someone who already has a user; signup always creates one. */
  reuseExisting: boolean;
}

export interface FirstKey {
  publicId: string;
  secretHash: string;
}

export interface TenantCreatedEvent {
  actor: AuditActor;
  /** The event's metadata; the owner's id is added as `ownerId`. */
  metadata: Record<string, unknown>;
}

export interface ProvisionedRows {
  tenant: TenantRow;
  user: { id: string; email: string; passwordHash: string };
  segment: SegmentRow;
  packages: PackageRow[];
  apiKey: { id: string; publicId: string; name: string; scopes: string[] };
}

interface PlatformRow {
  tenantId: string;
  tenant: Record<string, unknown>;
  ownerId: string;
  ownerEmail: string;
  ownerPasswordHash: string;
}

interface DefaultRowsJson {
  segment: Record<string, unknown>;
  packages: Record<string, unknown>[];
  apiKey: ProvisionedRows['apiKey'];
}

/**
 * A tenant written whole in ONE statement (TenantDatabase.runFromPlatformAtOnce): the platform half
 * (`provision_tenant_platform`: tenant, owner found or inserted, OWNER membership), then, as the new
 * tenant, what it starts with (`provision_tenant_defaults`: General segment, three default packages,
 * first API key, `tenant.created` audit event). Both are PL/pgSQL functions of migration
 * `20261203170000_provisioning_functions`, so each connection plans their writes once. Every value
 * is a bound parameter.
 *
 * This bypasses Prisma's model calls, CatalogService.createPackages and AuditService.record on purpose
 * (issue #15: eleven model calls cost ~11 ms of Node CPU per tenant). Their rules have nothing to decide here:
 * the segment is the one just made, the slugs are fixed and unique in a tenant that has no packages
 * yet, and the grouping orders are the defaults'. The tenant half runs as app_tenant with
 * app.current_tenant_id set to the tenant the platform half returned, so row-level security checks
 * every row it writes.
 */
@Injectable()
export class ProvisioningRepository {
  constructor(private readonly database: TenantDatabase) {}

  /**
   * Unique violations on the tenant's fields (or a signup's email) surface as they did from Prisma's
   * create, as the error conflictFromUniqueViolation maps.
   */
  async provision(tenant: NewTenant, owner: NewOwner, key: FirstKey, event: TenantCreatedEvent): Promise<ProvisionedRows> {
    const platform = Prisma.sql`SELECT * FROM "provision_tenant_platform"(
      p_tenant => ${uuidV7()}::uuid, p_slug => ${tenant.slug}, p_name => ${tenant.name}, p_email => ${tenant.email},
      p_domain => ${tenant.domain}, p_settings => ${JSON.stringify(tenant.settings)}::jsonb,
      p_commission_percent => ${String(tenant.commissionPercent)}::numeric, p_phone_number_id => ${tenant.phoneNumberId},
      p_genesys_integration_id => ${tenant.genesysIntegrationId},
      p_owner => ${owner.id}::uuid, p_owner_email => ${owner.email}, p_owner_password_hash => ${owner.passwordHash},
      p_reuse_owner => ${owner.reuseExisting}::boolean)`;
    const defaults = Prisma.sql`"provision_tenant_defaults"(
      p_tenant => platform."tenantId",
      p_segment => ${uuidV7()}::uuid, p_segment_slug => ${DEFAULT_SEGMENT.slug}, p_segment_name => ${DEFAULT_SEGMENT.name},
      p_segment_hero_title => ${DEFAULT_SEGMENT.heroTitle}, p_segment_description => ${DEFAULT_SEGMENT.description},
      p_segment_sort_order => ${DEFAULT_SEGMENT.sortOrder}::int,
      p_package_ids => ${DEFAULT_PACKAGES.map(() => uuidV7())}::uuid[],
      p_package_slugs => ${DEFAULT_PACKAGES.map((tier) => tier.slug)}::varchar[],
      p_package_names => ${DEFAULT_PACKAGES.map((tier) => tier.name)}::varchar[],
      p_package_descriptions => ${DEFAULT_PACKAGES.map((tier) => tier.description)}::varchar[],
      p_package_base_prices => ${DEFAULT_PACKAGES.map((tier) => tier.basePrice)}::int[],
      p_package_grouping_orders => ${DEFAULT_PACKAGES.map((tier) => tier.groupingOrder)}::int[],
      p_key => ${uuidV7()}::uuid, p_key_public_id => ${key.publicId}, p_key_secret_hash => ${key.secretHash},
      p_key_name => ${FIRST_API_KEY.name}, p_key_scopes => ${[...FIRST_API_KEY.scopes]}::varchar[],
      p_event => ${uuidV7()}::uuid, p_actor_type => ${event.actor.actorType}::"ActorType", p_actor_id => ${event.actor.actorId}::uuid,
      p_request_id => ${RequestContext.requestId() ?? null},
      p_metadata => ${JSON.stringify(event.metadata)}::jsonb || jsonb_build_object('ownerId', platform."ownerId"))`;
    const written = await this.database.runFromPlatformAtOnce<DefaultRowsJson>(platform, defaults);
    const made = written.platform as unknown as PlatformRow;
    const { segment, packages, apiKey } = written.tenant;
    return {
      tenant: tenantFromJson(made.tenant),
      user: { id: made.ownerId, email: made.ownerEmail, passwordHash: made.ownerPasswordHash },
      segment: withDates(segment) as SegmentRow,
      packages: packages.map((item) => withDates(item) as PackageRow),
      apiKey,
    };
  }
}

/** JSON carries timestamps as strings; the rows Prisma returns carry Dates. */
function withDates(row: Record<string, unknown>): Record<string, unknown> {
  return { ...row, createdAt: new Date(row.createdAt as string), updatedAt: new Date(row.updatedAt as string) };
}

/** And numerics as numbers, where Prisma returns a Decimal. */
function tenantFromJson(json: Record<string, unknown>): TenantRow {
  return { ...withDates(json), commissionPercent: new Prisma.Decimal(String(json.commissionPercent)) } as TenantRow;
}
