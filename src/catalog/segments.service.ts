import { Injectable } from '@nestjs/common';
import type { Principal } from '../tenancy/principal';
import { TenantDatabase } from '../tenancy/tenant-database.service';
import { CatalogWrites } from './catalog-writes.service';
import { CatalogService } from './catalog.service';
import type { SegmentOutput, SegmentPageOutput } from './dto/catalog.output';
import type { CreateSegmentInput, UpdateSegmentInput } from './dto/segment.input';

/** The segments API: one tenant transaction per call, the storefront invalidated after the commit. */
@Injectable()
export class SegmentsService {
  constructor(
    private readonly database: TenantDatabase,
    private readonly catalog: CatalogService,
    private readonly writes: CatalogWrites,
  ) {}

  async list(limit: number, offset: number): Promise<SegmentPageOutput> {
    return { ...(await this.database.run((db) => this.catalog.listSegments(db, limit, offset))), limit, offset };
  }

  get(id: string): Promise<SegmentOutput> {
    return this.database.run((db) => this.catalog.getSegment(db, id));
  }

  create(actor: Principal, input: CreateSegmentInput): Promise<SegmentOutput> {
    return this.writes.run((db) => this.catalog.createSegment(db, actor, input));
  }

  update(actor: Principal, id: string, input: UpdateSegmentInput): Promise<SegmentOutput> {
    return this.writes.run((db) => this.catalog.updateSegment(db, actor, id, input));
  }

  async delete(actor: Principal, id: string, moveTo?: string): Promise<void> {
    await this.writes.run((db) => this.catalog.deleteSegment(db, actor, id, moveTo));
  }

  reorder(actor: Principal, segmentIds: string[]): Promise<SegmentOutput[]> {
    return this.writes.run((db) => this.catalog.reorderSegments(db, actor, segmentIds));
  }
}
