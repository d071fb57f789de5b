import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { Sql, sql } from '../tenancy/tenant-batch-read';
import type { TenantDatabase, TenantTransaction } from '../tenancy/tenant-database.service';

export type PackageRow = Awaited<ReturnType<TenantTransaction['package']['create']>>;

/** A package row ready to insert: every rule of CatalogService.createPackages already applied. */
export type NewPackageRow = Omit<Prisma.PackageUncheckedCreateInput, 'tenantId' | 'id' | 'createdAt' | 'updatedAt'> & { segmentId: string; slug: string };
export type PackageChanges = Partial<NewPackageRow>;

export interface PackageFilter {
  segmentId?: string;
  active?: boolean;
}

// tenant_packages_page() (migration 20261202013000_hot_read_functions) orders the same way.
const ORDER = [{ groupingOrder: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }] satisfies Prisma.PackageOrderByWithRelationInput[];

/** Every column of `packages`, in the model's field order (what Prisma's findMany returns). */
const COLUMNS = sql`"tenantId", "id", "segmentId", "slug", "name", "description", "basePrice", "bookingType", "groupingOrder", "active", "createdAt", "updatedAt"`;

/** Packages of the context's tenant: every method takes the transaction of TenantDatabase.run(). */
@Injectable()
export class PackagesRepository {
  async list(db: TenantTransaction, filter: PackageFilter, limit: number, offset: number) {
    const where = { segmentId: filter.segmentId, active: filter.active };
    const [items, total] = await Promise.all([db.package.findMany({ where, orderBy: ORDER, take: limit, skip: offset }), db.package.count({ where })]);
    return { items, total };
  }

  /**
   * The list endpoint's read: the same rows and total as list(), in one round trip
   * (TenantDatabase.readBatch), through the PL/pgSQL functions of the migration
   * 20261202013000_hot_read_functions, whose plans each connection keeps (ORDER BY ordinality: SQL
   * promises a function's row order only so). Every value is a validated literal
   * (Sql.uuid/integer/boolean).
   */
  async page(database: TenantDatabase, filter: PackageFilter, limit: number, offset: number): Promise<{ items: PackageRow[]; total: number }> {
    const [items, count] = await database.readBatch((tenant) => {
      const filters = sql`${tenant}, ${Sql.uuidOrNull(filter.segmentId)}, ${Sql.booleanOrNull(filter.active)}`;
      return [
        sql`SELECT ${COLUMNS} FROM "public"."tenant_packages_page"(${filters}, ${Sql.integer(limit)}, ${Sql.integer(offset)}) WITH ORDINALITY ORDER BY "ordinality"`,
        sql`SELECT "public"."tenant_packages_count"(${filters}) AS "total"`,
      ];
    });
    return { items: items.rows as PackageRow[], total: (count.rows[0] as { total: number }).total };
  }

  listActive(db: TenantTransaction, segmentIds: readonly string[]) {
    return db.package.findMany({ where: { active: true, segmentId: { in: [...segmentIds] } }, orderBy: ORDER });
  }

  find(db: TenantTransaction, id: string) {
    return db.package.findFirst({ where: { id } });
  }

  findBySlug(db: TenantTransaction, slug: string) {
    return db.package.findFirst({ where: { slug } });
  }

  async takenSlugs(db: TenantTransaction, slugs: readonly string[]): Promise<Set<string>> {
    const rows = await db.package.findMany({ where: { slug: { in: [...slugs] } }, select: { slug: true } });
    return new Set(rows.map((row) => row.slug));
  }

  /** The next free grouping order of each segment (after its last package). */
  async nextGroupingOrders(db: TenantTransaction, segmentIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await db.package.groupBy({ by: ['segmentId'], where: { segmentId: { in: [...segmentIds] } }, _max: { groupingOrder: true } });
    const next = new Map(segmentIds.map((id) => [id, 1]));
    for (const row of rows) next.set(row.segmentId, (row._max.groupingOrder ?? 0) + 1);
    return next;
  }

  createMany(db: TenantTransaction, rows: readonly NewPackageRow[]) {
    return db.package.createManyAndReturn({ data: rows as Prisma.PackageCreateManyInput[] });
  }

  async update(db: TenantTransaction, id: string, changes: PackageChanges): Promise<PackageRow | null> {
    const [row] = await db.package.updateManyAndReturn({ where: { id }, data: changes });
    return row ?? null;
  }

  countInSegment(db: TenantTransaction, segmentId: string) {
    return db.package.count({ where: { segmentId } });
  }

  count(db: TenantTransaction) {
    return db.package.count();
  }

  async moveAll(db: TenantTransaction, fromSegmentId: string, toSegmentId: string): Promise<number> {
    const { count } = await db.package.updateMany({ where: { segmentId: fromSegmentId }, data: { segmentId: toSegmentId } });
    return count;
  }

  async delete(db: TenantTransaction, id: string): Promise<void> {
    await db.package.deleteMany({ where: { id } });
  }
}
