import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Prisma } from '../generated/prisma/client';
import type { BookingType } from '../generated/prisma/enums';
import { DEFAULT_SEGMENT } from '../provisioning/tenant-defaults';
import type { Principal } from '../tenancy/principal';
import { TenantContext } from '../tenancy/tenant-context';
import type { TenantDatabase, TenantTransaction } from '../tenancy/tenant-database.service';
import { GENERAL_SEGMENT_SLUG } from './catalog.constants';
import { CatalogError, CatalogErrorCode } from './catalog.errors';
import { catalogSlugFromName, withRandomSuffix } from './catalog-slugs';
import { PackagesRepository, type NewPackageRow, type PackageChanges, type PackageFilter, type PackageRow } from './packages.repository';
import { SegmentsRepository, type NewSegment, type SegmentChanges, type SegmentRow } from './segments.repository';

export interface NewPackage {
  name: string;
  basePrice: number;
  slug?: string;
  description?: string | null;
  bookingType?: BookingType;
  groupingOrder?: number;
  active?: boolean;
  /** Default: the tenant's General segment (created from the defaults if it is missing). */
  segmentId?: string;
}

export type PackageUpdate = Partial<NewPackage>;
export type SegmentUpdate = Partial<NewSegment>;

/** Where a created package came from, for the log line of the General fallback. */
type Source = 'api' | 'agent' | 'provisioning';

/**
 * The catalog's rules, in one place: no package without a segment of its own tenant, the General
 * segment always there, slugs unique per tenant. Every method runs inside the caller's tenant
 * transaction (`db`), so an agent's confirmed proposal or a new tenant's provisioning applies them
 * atomically with its own writes; the request-facing services open the transaction, and invalidate
 * the storefront once it has committed.
 */
@Injectable()
export class CatalogService {
  private readonly logger = new Logger(CatalogService.name);

  constructor(
    private readonly segments: SegmentsRepository,
    private readonly packages: PackagesRepository,
    private readonly audit: AuditService,
  ) {}

  /** The tenant's General segment; when it is missing, created from the tenant defaults (and logged). */
  async generalSegment(db: TenantTransaction): Promise<SegmentRow> {
    const existing = await this.segments.findGeneral(db);
    if (existing) return existing;
    // A concurrent transaction may be creating it too: insert-if-absent, then read whichever won.
    const created = await this.segments.createIfSlugFree(db, { ...DEFAULT_SEGMENT });
    const general = await this.segments.findGeneral(db);
    if (!general) throw new Error('General segment vanished while it was being created');
    if (created) this.logger.warn({ tenantId: TenantContext.requireTenantId(), segmentId: general.id }, 'General segment was missing; created it from the tenant defaults');
    return general;
  }

  /** Provisioning: a new tenant's General segment. */
  createGeneralSegment(db: TenantTransaction): Promise<SegmentRow> {
    return this.segments.create(db, { ...DEFAULT_SEGMENT });
  }

  /** The only way packages are created (API, agent, provisioning). Audited as `package.created`. */
  async createPackage(db: TenantTransaction, actor: Principal, input: NewPackage, source: Source = 'api'): Promise<PackageRow> {
    const [created] = await this.createPackages(db, [input], source);
    await this.audit.record(actor, this.event('package.created', created.id, { slug: created.slug, segmentId: created.segmentId, source }), db);
    return created;
  }

  /**
   * Several packages with the rules of createPackage, in one insert (provisioning's three tiers).
   * A named segment must be the tenant's (SEGMENT_NOT_FOUND); no segment means General. A slug
   * derived from the name gets a suffix when taken; one the caller chose that is taken is a 409.
   */
  async createPackages(db: TenantTransaction, inputs: readonly NewPackage[], source: Source = 'api'): Promise<PackageRow[]> {
    if (inputs.length === 0) return [];
    await this.requireSegments(db, inputs.map((input) => input.segmentId));
    const general = inputs.some((input) => input.segmentId === undefined) ? await this.generalSegment(db) : null;
    const segmentOf = (input: NewPackage) => input.segmentId ?? general!.id;
    const slugs = await this.packageSlugs(db, inputs);
    const needsOrder = inputs.filter((input) => input.groupingOrder === undefined).map(segmentOf);
    const nextOrder = needsOrder.length > 0 ? await this.packages.nextGroupingOrders(db, [...new Set(needsOrder)]) : new Map<string, number>();

    const rows: NewPackageRow[] = inputs.map((input, index) => {
      const segmentId = segmentOf(input);
      let groupingOrder = input.groupingOrder;
      if (groupingOrder === undefined) {
        groupingOrder = nextOrder.get(segmentId)!;
        nextOrder.set(segmentId, groupingOrder + 1);
      }
      return {
        segmentId,
        slug: slugs[index],
        name: input.name,
        description: input.description ?? null,
        basePrice: input.basePrice,
        bookingType: input.bookingType,
        groupingOrder,
        active: input.active,
      };
    });
    const created = await this.packages.createMany(db, rows).catch((error: unknown) => {
      throw packageWriteError(error) ?? error;
    });
    for (const [index, input] of inputs.entries()) {
      if (input.segmentId === undefined) {
        this.logger.log({ tenantId: TenantContext.requireTenantId(), packageSlug: rows[index].slug, segmentId: general!.id, source }, 'package without a segment assigned to the General segment');
      }
    }
    return created;
  }

  async updatePackage(db: TenantTransaction, actor: Principal, id: string, update: PackageUpdate): Promise<PackageRow> {
    if (update.segmentId !== undefined) await this.requireSegments(db, [update.segmentId]);
    const changes: PackageChanges = {
      slug: update.slug,
      name: update.name,
      description: update.description,
      basePrice: update.basePrice,
      bookingType: update.bookingType,
      groupingOrder: update.groupingOrder,
      active: update.active,
      segmentId: update.segmentId,
    };
    const updated = await this.packages.update(db, id, changes).catch((error: unknown) => {
      throw packageWriteError(error) ?? error;
    });
    if (!updated) throw packageNotFound();
    await this.audit.record(actor, this.event('package.updated', id, { changed: changedFields(changes) }), db);
    return updated;
  }

  /**
   * A tenant keeps at least one package (the orphan check counts a tenant without any as broken);
   * a transaction-level advisory lock per tenant makes two concurrent deletes of the last two see
   * each other.
   */
  async deletePackage(db: TenantTransaction, actor: Principal, id: string): Promise<void> {
    await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('catalog:packages'), hashtext(${TenantContext.requireTenantId()}))`;
    const existing = await this.packages.find(db, id);
    if (!existing) throw packageNotFound();
    if ((await this.packages.count(db)) <= 1) {
      throw new CatalogError(CatalogErrorCode.LAST_PACKAGE, 'A tenant keeps at least one package; deactivate it instead (active: false)');
    }
    await this.packages.delete(db, id);
    await this.audit.record(actor, this.event('package.deleted', id, { slug: existing.slug, segmentId: existing.segmentId }), db);
  }

  listPackages(db: TenantTransaction, filter: PackageFilter, limit: number, offset: number) {
    return this.packages.list(db, filter, limit, offset);
  }

  /** listPackages() for the list endpoint, in one round trip of its own (not inside a transaction). */
  pagePackages(database: TenantDatabase, filter: PackageFilter, limit: number, offset: number) {
    return this.packages.page(database, filter, limit, offset);
  }

  async getPackage(db: TenantTransaction, id: string): Promise<PackageRow> {
    const found = await this.packages.find(db, id);
    if (!found) throw packageNotFound();
    return found;
  }

  findPackageBySlug(db: TenantTransaction, slug: string): Promise<PackageRow | null> {
    return this.packages.findBySlug(db, slug);
  }

  listSegments(db: TenantTransaction, limit: number, offset: number) {
    return this.segments.list(db, limit, offset);
  }

  async getSegment(db: TenantTransaction, id: string): Promise<SegmentRow> {
    const found = await this.segments.find(db, id);
    if (!found) throw segmentNotFound('id');
    return found;
  }

  async createSegment(db: TenantTransaction, actor: Principal, input: Omit<NewSegment, 'slug'> & { slug?: string }): Promise<SegmentRow> {
    const segment = await this.segments
      .create(db, {
        ...input,
        slug: input.slug ?? catalogSlugFromName(input.name, 'segment'),
        sortOrder: input.sortOrder ?? (await this.segments.nextSortOrder(db)),
      })
      .catch((error: unknown) => {
        throw segmentWriteError(error) ?? error;
      });
    await this.audit.record(actor, this.event('segment.created', segment.id, { slug: segment.slug }, 'segment'), db);
    return segment;
  }

  async updateSegment(db: TenantTransaction, actor: Principal, id: string, update: SegmentUpdate): Promise<SegmentRow> {
    const existing = await this.segments.find(db, id);
    if (!existing) throw segmentNotFound('id');
    if (existing.slug === GENERAL_SEGMENT_SLUG && update.slug !== undefined && update.slug !== GENERAL_SEGMENT_SLUG) {
      throw new CatalogError(CatalogErrorCode.GENERAL_SEGMENT_PROTECTED, 'The General segment keeps its slug', [{ field: 'slug', message: 'cannot be changed' }]);
    }
    const changes: SegmentChanges = {
      slug: update.slug,
      name: update.name,
      heroTitle: update.heroTitle,
      description: update.description,
      sortOrder: update.sortOrder,
      active: update.active,
    };
    const updated = await this.segments.update(db, id, changes).catch((error: unknown) => {
      throw segmentWriteError(error) ?? error;
    });
    if (!updated) throw segmentNotFound('id');
    await this.audit.record(actor, this.event('segment.updated', id, { changed: changedFields(changes) }, 'segment'), db);
    return updated;
  }

  /**
   * The General segment stays. A segment with packages is deleted only with `moveTo`, another
   * segment of the tenant, and its packages move there in the same transaction. Both rows are locked
   * first, in id order (see lockInOrder); a package added meanwhile makes the delete fail on the
   * foreign key (409 too).
   */
  async deleteSegment(db: TenantTransaction, actor: Principal, segmentId: string, moveToId?: string): Promise<{ movedPackages: number }> {
    // UUIDs may arrive in upper case; the lock answers them as PostgreSQL prints them.
    const id = segmentId.toLowerCase();
    const moveTo = moveToId?.toLowerCase();
    if (moveTo === id) throw new CatalogError(CatalogErrorCode.INVALID_MOVE_TARGET, 'moveTo must name another segment', [{ field: 'moveTo', message: 'is the segment being deleted' }]);
    const locked = await this.segments.lockInOrder(db, moveTo === undefined ? [id] : [id, moveTo]);
    if (!locked.has(id)) throw segmentNotFound('id');
    const segment = (await this.segments.find(db, id))!;
    if (segment.slug === GENERAL_SEGMENT_SLUG) throw new CatalogError(CatalogErrorCode.GENERAL_SEGMENT_PROTECTED, 'The General segment cannot be deleted');
    let movedPackages = 0;
    if (moveTo !== undefined) {
      if (!locked.has(moveTo)) throw segmentNotFound('moveTo');
      movedPackages = await this.packages.moveAll(db, id, moveTo);
    } else if ((await this.packages.countInSegment(db, id)) > 0) {
      throw segmentNotEmpty();
    }
    await this.segments.delete(db, id).catch((error: unknown) => {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003') throw segmentNotEmpty();
      throw error;
    });
    await this.audit.record(actor, this.event('segment.deleted', id, { slug: segment.slug, moveTo: moveTo ?? null, movedPackages }, 'segment'), db);
    return { movedPackages };
  }

  /** Sets sortOrder 0..n-1 in the given order, which must list every segment exactly once. */
  async reorderSegments(db: TenantTransaction, actor: Principal, segmentIds: readonly string[]): Promise<SegmentRow[]> {
    const all = await this.segments.listAll(db);
    const known = new Set(all.map((segment) => segment.id));
    const unknown = segmentIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw segmentNotFound('segmentIds', `Not segments of this tenant: ${unknown.join(', ')}`);
    const listed = new Set(segmentIds);
    const missing = all.filter((segment) => !listed.has(segment.id)).map((segment) => segment.id);
    if (missing.length > 0) {
      throw new CatalogError(CatalogErrorCode.INVALID_SEGMENT_ORDER, 'List every segment of the tenant exactly once', [{ field: 'segmentIds', message: `missing: ${missing.join(', ')}` }]);
    }
    for (const [sortOrder, id] of segmentIds.entries()) {
      if (all.find((segment) => segment.id === id)!.sortOrder !== sortOrder) await this.segments.update(db, id, { sortOrder });
    }
    await this.audit.record(actor, { action: 'segments.reordered', tenantId: TenantContext.requireTenantId(), targetType: 'segment', metadata: { segmentIds } }, db);
    return this.segments.listAll(db);
  }

  /** Every id given must be a segment of the tenant (undefined entries mean General, skipped). */
  async requireSegments(db: TenantTransaction, ids: ReadonlyArray<string | undefined>): Promise<void> {
    const named = [...new Set(ids.filter((id): id is string => id !== undefined))];
    if (named.length === 0) return;
    const found = new Set((await this.segments.findMany(db, named)).map((segment) => segment.id));
    const missing = named.find((id) => !found.has(id));
    if (missing) throw segmentNotFound('segmentId', `No segment ${missing} in this tenant`);
  }

  /** Slugs for new packages: given ones as they are, derived ones made free of taken ones. */
  private async packageSlugs(db: TenantTransaction, inputs: readonly NewPackage[]): Promise<string[]> {
    const slugs = inputs.map((input) => input.slug ?? catalogSlugFromName(input.name, 'package'));
    const derived = inputs.map((input, index) => (input.slug === undefined ? index : -1)).filter((index) => index >= 0);
    if (derived.length === 0) return slugs;
    const taken = await this.packages.takenSlugs(db, derived.map((index) => slugs[index]));
    const used = new Set(inputs.filter((input) => input.slug !== undefined).map((input) => input.slug!));
    for (const index of derived) {
      while (taken.has(slugs[index]) || used.has(slugs[index])) slugs[index] = withRandomSuffix(slugs[index]);
      used.add(slugs[index]);
    }
    return slugs;
  }

  private event(action: string, targetId: string, metadata: Record<string, unknown>, targetType = 'package') {
    return { action, tenantId: TenantContext.requireTenantId(), targetType, targetId, metadata };
  }
}

function changedFields(changes: object): string[] {
  return Object.entries(changes)
    .filter(([, value]) => value !== undefined)
    .map(([field]) => field);
}

function packageNotFound(): CatalogError {
  return new CatalogError(CatalogErrorCode.PACKAGE_NOT_FOUND, 'Package not found');
}

function segmentNotFound(field: string, detail = 'No such segment in this tenant'): CatalogError {
  return new CatalogError(CatalogErrorCode.SEGMENT_NOT_FOUND, 'Segment not found', [{ field, message: detail }]);
}

function segmentNotEmpty(): CatalogError {
  return new CatalogError(CatalogErrorCode.SEGMENT_NOT_EMPTY, 'The segment still has packages; pass moveTo=<segment id> to move them', [
    { field: 'moveTo', message: 'required while the segment has packages' },
  ]);
}

/** A unique violation on a package's slug, or its segment gone meanwhile. */
function packageWriteError(error: unknown): CatalogError | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  if (error.code === 'P2002') return new CatalogError(CatalogErrorCode.PACKAGE_SLUG_TAKEN, 'Another package of this tenant has this slug', [{ field: 'slug', message: 'is taken' }]);
  if (error.code === 'P2003') return new CatalogError(CatalogErrorCode.SEGMENT_NOT_FOUND, 'Segment not found', [{ field: 'segmentId', message: 'No such segment in this tenant' }]);
  return undefined;
}

function segmentWriteError(error: unknown): CatalogError | undefined {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    return new CatalogError(CatalogErrorCode.SEGMENT_SLUG_TAKEN, 'Another segment of this tenant has this slug', [{ field: 'slug', message: 'is taken' }]);
  }
  return undefined;
}
