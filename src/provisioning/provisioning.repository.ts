import { Injectable } from '@nestjs/common';
import type { AuditActor } from '../audit/audit.service';
import type { PackageRow } from '../catalog/packages.repository';
import type { SegmentRow } from '../catalog/segments.repository';
import { uuidV7 } from '../common/ids/uuid-v7';
import { RequestContext } from '../common/request-context/request-context';
import type { TenantTransaction } from '../tenancy/tenant-database.service';
import { TenantContext } from '../tenancy/tenant-context';
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
  email: string;
  passwordHash: string;
  /** Operators may name someone who already has a user; signup always creates one. */
  reuseExisting: boolean;
}

export interface OwnedTenant {
  tenant: TenantRow;
  user: { id: string; email: string; passwordHash: string };
}

export interface FirstKey {
  publicId: string;
  secretHash: string;
}

export interface TenantCreatedEvent {
  actor: AuditActor;
  metadata: Record<string, unknown>;
}

export interface DefaultRows {
  segment: SegmentRow;
  packages: PackageRow[];
  apiKey: { id: string; publicId: string; name: string; scopes: string[] };
}

interface DefaultRowsJson {
  segment: Record<string, unknown>;
  packages: Record<string, unknown>[];
  apiKey: DefaultRows['apiKey'];
}

/**
 * A tenant written whole in two statements of data-modifying CTEs, one per half of the provisioning
 * transaction (TenantDatabase.runFromPlatform): the platform half (tenant, owner, membership), then,
 * as the tenant, what it starts with (General segment, three default packages, first API key,
 * `tenant.created` audit event). Every value is a bound parameter.
 *
 * This bypasses Prisma's model calls, CatalogService.createPackages and AuditService.record on purpose
 * (issue #15: eleven model calls cost ~11 ms of Node CPU per tenant). Their rules have nothing to decide here:
 * the segment is the one just made, the slugs are fixed and unique in a tenant that has no packages
 * yet, and the grouping orders are the defaults'. It still runs inside the tenant's transaction
 * (role app_tenant, app.current_tenant_id set), so row-level security checks every row; the tenant
 * id is bound from the tenant context, never concatenated, like every other value.
 */
@Injectable()
export class ProvisioningRepository {
  /**
   * The platform half, one statement: the tenant (ACTIVE at once: created and completed in one
   * transaction, nobody ever sees it PROVISIONING), its owner (found by email when reuse is allowed,
   * else inserted: a taken email is then the unique violation signup reports as EMAIL_TAKEN) and the
   * OWNER membership. Unique violations on the tenant's fields surface as they did from Prisma's
   * create, as the error conflictFromUniqueViolation maps.
   */
  async createTenantWithOwner(db: TenantTransaction, tenant: NewTenant, owner: NewOwner): Promise<OwnedTenant> {
    const [row] = await db.$queryRaw<(TenantRow & { ownerId: string; ownerEmail: string; ownerPasswordHash: string })[]>`
      WITH tenant AS (
        INSERT INTO "tenants" ("id", "slug", "name", "email", "domain", "settings", "commissionPercent", "phoneNumberId", "genesysIntegrationId", "status")
        VALUES (${uuidV7()}::uuid, ${tenant.slug}, ${tenant.name}, ${tenant.email}, ${tenant.domain}, ${JSON.stringify(tenant.settings)}::jsonb,
                ${String(tenant.commissionPercent)}::numeric, ${tenant.phoneNumberId}, ${tenant.genesysIntegrationId}, 'ACTIVE')
        RETURNING *
      ), existing AS (
        SELECT "id", "email", "passwordHash" FROM "users" WHERE ${owner.reuseExisting}::boolean AND "email" = ${owner.email}
      ), created AS (
        INSERT INTO "users" ("id", "email", "passwordHash")
        SELECT ${uuidV7()}::uuid, ${owner.email}, ${owner.passwordHash} WHERE NOT EXISTS (SELECT 1 FROM existing)
        RETURNING "id", "email", "passwordHash"
      ), owner AS (
        SELECT * FROM existing UNION ALL SELECT * FROM created
      ), membership AS (
        INSERT INTO "tenant_memberships" ("tenantId", "userId", "role") SELECT tenant.id, owner.id, 'OWNER'::"MembershipRole" FROM tenant, owner
      )
      SELECT tenant.*, owner."id" AS "ownerId", owner."email" AS "ownerEmail", owner."passwordHash" AS "ownerPasswordHash" FROM tenant, owner`;
    const { ownerId, ownerEmail, ownerPasswordHash, ...created } = row;
    return { tenant: created, user: { id: ownerId, email: ownerEmail, passwordHash: ownerPasswordHash } };
  }

  async writeDefaults(db: TenantTransaction, key: FirstKey, event: TenantCreatedEvent): Promise<DefaultRows> {
    const tenantId = TenantContext.requireTenantId();
    const segmentId = uuidV7();
    const packageIds = DEFAULT_PACKAGES.map(() => uuidV7());
    const [row] = await db.$queryRaw<DefaultRowsJson[]>`
      WITH segment AS (
        INSERT INTO "segments" ("tenantId", "id", "slug", "name", "heroTitle", "description", "sortOrder")
        VALUES (${tenantId}::uuid, ${segmentId}::uuid, ${DEFAULT_SEGMENT.slug}, ${DEFAULT_SEGMENT.name}, ${DEFAULT_SEGMENT.heroTitle},
                ${DEFAULT_SEGMENT.description}, ${DEFAULT_SEGMENT.sortOrder})
        RETURNING *
      ), packages AS (
        INSERT INTO "packages" ("tenantId", "id", "segmentId", "slug", "name", "description", "basePrice", "groupingOrder")
        SELECT segment."tenantId", p.id, segment.id, p.slug, p.name, p.description, p."basePrice", p."groupingOrder"
        FROM segment, unnest(
          ${packageIds}::uuid[],
          ${DEFAULT_PACKAGES.map((tier) => tier.slug)}::varchar[],
          ${DEFAULT_PACKAGES.map((tier) => tier.name)}::varchar[],
          ${DEFAULT_PACKAGES.map((tier) => tier.description)}::varchar[],
          ${DEFAULT_PACKAGES.map((tier) => tier.basePrice)}::int[],
          ${DEFAULT_PACKAGES.map((tier) => tier.groupingOrder)}::int[]
        ) AS p(id, slug, name, description, "basePrice", "groupingOrder")
        RETURNING *
      ), api_key AS (
        INSERT INTO "api_keys" ("tenantId", "id", "publicId", "secretHash", "name", "scopes")
        VALUES (${tenantId}::uuid, ${uuidV7()}::uuid, ${key.publicId}, ${key.secretHash}, ${FIRST_API_KEY.name}, ${[...FIRST_API_KEY.scopes]}::varchar[])
        RETURNING "id", "publicId", "name", "scopes"
      ), audit AS (
        -- No RETURNING: the tenant role may only insert audit events.
        INSERT INTO "audit_events" ("id", "actorType", "actorId", "action", "tenantId", "targetType", "targetId", "requestId", "metadata")
        VALUES (${uuidV7()}::uuid, ${event.actor.actorType}::"ActorType", ${event.actor.actorId}::uuid, 'tenant.created', ${tenantId}::uuid,
                'tenant', ${tenantId}, ${RequestContext.requestId() ?? null}, ${JSON.stringify(event.metadata)}::jsonb)
      )
      SELECT (SELECT to_jsonb(segment) FROM segment) AS "segment",
             (SELECT jsonb_agg(packages ORDER BY packages."groupingOrder") FROM packages) AS "packages",
             (SELECT to_jsonb(api_key) FROM api_key) AS "apiKey"`;
    return { segment: withDates(row.segment) as SegmentRow, packages: row.packages.map((item) => withDates(item) as PackageRow), apiKey: row.apiKey };
  }
}

/** JSON carries timestamps as strings; the rows Prisma returns carry Dates. */
function withDates(row: Record<string, unknown>): Record<string, unknown> {
  return { ...row, createdAt: new Date(row.createdAt as string), updatedAt: new Date(row.updatedAt as string) };
}
