import { Injectable } from '@nestjs/common';
import type { Principal } from '../tenancy/principal';
import { TenantDatabase } from '../tenancy/tenant-database.service';
import { CatalogWrites } from './catalog-writes.service';
import { toSegmentOutput } from './catalog-output';
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
    const page = await this.database.run((db) => this.catalog.listSegments(db, limit, offset));
    return { items: page.items.map(toSegmentOutput), total: page.total, limit, offset };
  }

  async get(id: string): Promise<SegmentOutput> {
    return toSegmentOutput(await this.database.run((db) => this.catalog.getSegment(db, id)));
  }

  async create(actor: Principal, input: CreateSegmentInput): Promise<SegmentOutput> {
    return toSegmentOutput(await this.writes.run((db) => this.catalog.createSegment(db, actor, input)));
  }

  async update(actor: Principal, id: string, input: UpdateSegmentInput): Promise<SegmentOutput> {
    return toSegmentOutput(await this.writes.run((db) => this.catalog.updateSegment(db, actor, id, input)));
  }

  async delete(actor: Principal, id: string, moveTo?: string): Promise<void> {
    await this.writes.run((db) => this.catalog.deleteSegment(db, actor, id, moveTo));
  }

  async reorder(actor: Principal, segmentIds: string[]): Promise<SegmentOutput[]> {
    return (await this.writes.run((db) => this.catalog.reorderSegments(db, actor, segmentIds))).map(toSegmentOutput);
  }
}
