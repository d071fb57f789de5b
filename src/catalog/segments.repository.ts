import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import type { TenantTransaction } from '../tenancy/tenant-database.service';
import { GENERAL_SEGMENT_SLUG } from './catalog.constants';

export type SegmentRow = Awaited<ReturnType<TenantTransaction['segment']['create']>>;

/** Field values of a new segment; the tenant is added by the scoping extension. */
export type NewSegment = Omit<Prisma.SegmentUncheckedCreateInput, 'tenantId' | 'id' | 'createdAt' | 'updatedAt'>;
export type SegmentChanges = Partial<NewSegment>;

const ORDER = [{ sortOrder: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }] satisfies Prisma.SegmentOrderByWithRelationInput[];

/** Segments of the context's tenant: every method takes the transaction of TenantDatabase.run(). */
@Injectable()
export class SegmentsRepository {
  async list(db: TenantTransaction, limit: number, offset: number) {
    const [items, total] = await Promise.all([db.segment.findMany({ orderBy: ORDER, take: limit, skip: offset }), db.segment.count()]);
    return { items, total };
  }

  listAll(db: TenantTransaction, where: Prisma.SegmentWhereInput = {}) {
    return db.segment.findMany({ where, orderBy: ORDER });
  }

  find(db: TenantTransaction, id: string) {
    return db.segment.findFirst({ where: { id } });
  }

  findMany(db: TenantTransaction, ids: readonly string[]) {
    return db.segment.findMany({ where: { id: { in: [...ids] } } });
  }

  findGeneral(db: TenantTransaction) {
    return db.segment.findFirst({ where: { slug: GENERAL_SEGMENT_SLUG } });
  }

  /**
   * Locks the rows until the transaction ends, in one statement and in id order: two deletes that
   * each move their packages to the other's segment (S1 → S2 while S2 → S1) would otherwise each hold
   * one row and wait for the other's, a deadlock. Answers the ids that exist (a row deleted by the
   * transaction we waited for is skipped).
   */
  async lockInOrder(db: TenantTransaction, ids: readonly string[]): Promise<Set<string>> {
    const rows = await db.$queryRaw<Array<{ id: string }>>`SELECT id::text AS id FROM segments WHERE id = ANY(${[...ids]}::uuid[]) ORDER BY id FOR UPDATE`;
    return new Set(rows.map((row) => row.id));
  }

  create(db: TenantTransaction, segment: NewSegment) {
    return db.segment.create({ data: segment as Prisma.SegmentUncheckedCreateInput });
  }

  /** Inserts unless a segment with this slug exists (a concurrent insert included); true when it did. */
  async createIfSlugFree(db: TenantTransaction, segment: NewSegment): Promise<boolean> {
    const { count } = await db.segment.createMany({ data: [segment as Prisma.SegmentCreateManyInput], skipDuplicates: true });
    return count === 1;
  }

  async update(db: TenantTransaction, id: string, changes: SegmentChanges): Promise<SegmentRow | null> {
    const [row] = await db.segment.updateManyAndReturn({ where: { id }, data: changes });
    return row ?? null;
  }

  async nextSortOrder(db: TenantTransaction): Promise<number> {
    const { _max } = await db.segment.aggregate({ _max: { sortOrder: true } });
    return _max.sortOrder === null ? 0 : _max.sortOrder + 1;
  }

  async delete(db: TenantTransaction, id: string): Promise<void> {
    await db.segment.deleteMany({ where: { id } });
  }
}
