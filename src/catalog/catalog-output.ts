import type { PackageOutput, SegmentOutput } from './dto/catalog.output';
import type { PackageRow } from './packages.repository';
import type { SegmentRow } from './segments.repository';

// Rows as clients see them, built field by field: a column added to the table (or the tenantId the
// scoping layer already fixed) does not reach an answer until its output DTO declares it.

export function toSegmentOutput(row: SegmentRow): SegmentOutput {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    heroTitle: row.heroTitle,
    description: row.description,
    sortOrder: row.sortOrder,
    active: row.active,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toPackageOutput(row: PackageRow): PackageOutput {
  return {
    id: row.id,
    segmentId: row.segmentId,
    slug: row.slug,
    name: row.name,
    description: row.description,
    basePrice: row.basePrice,
    bookingType: row.bookingType,
    groupingOrder: row.groupingOrder,
    active: row.active,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
