import { Injectable } from '@nestjs/common';
import type { Principal } from '../tenancy/principal';
import { TenantDatabase } from '../tenancy/tenant-database.service';
import { CatalogWrites } from './catalog-writes.service';
import { toPackageOutput } from './catalog-output';
import { CatalogService } from './catalog.service';
import type { PackageOutput, PackagePageOutput } from './dto/catalog.output';
import type { CreatePackageInput, ListPackagesQuery, UpdatePackageInput } from './dto/package.input';

/** The packages API: one tenant transaction per call, the storefront invalidated after the commit. */
@Injectable()
export class PackagesService {
  constructor(
    private readonly database: TenantDatabase,
    private readonly catalog: CatalogService,
    private readonly writes: CatalogWrites,
  ) {}

  async list(query: ListPackagesQuery): Promise<PackagePageOutput> {
    const page = await this.catalog.pagePackages(this.database, { segmentId: query.segmentId, active: query.active }, query.limit, query.offset);
    return { items: page.items.map(toPackageOutput), total: page.total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<PackageOutput> {
    return toPackageOutput(await this.database.run((db) => this.catalog.getPackage(db, id)));
  }

  async create(actor: Principal, input: CreatePackageInput): Promise<PackageOutput> {
    return toPackageOutput(await this.writes.run((db) => this.catalog.createPackage(db, actor, input)));
  }

  async update(actor: Principal, id: string, input: UpdatePackageInput): Promise<PackageOutput> {
    return toPackageOutput(await this.writes.run((db) => this.catalog.updatePackage(db, actor, id, input)));
  }

  async delete(actor: Principal, id: string): Promise<void> {
    await this.writes.run((db) => this.catalog.deletePackage(db, actor, id));
  }
}
