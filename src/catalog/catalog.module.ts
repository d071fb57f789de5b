import { Module } from '@nestjs/common';
import { CatalogService } from './catalog.service';
import { CatalogWrites } from './catalog-writes.service';
import { PackagesController } from './packages.controller';
import { PackagesRepository } from './packages.repository';
import { PackagesService } from './packages.service';
import { SegmentsController } from './segments.controller';
import { SegmentsRepository } from './segments.repository';
import { SegmentsService } from './segments.service';
import { StorefrontController } from './storefront.controller';
import { StorefrontService } from './storefront.service';

/** Segments, packages and the public storefront; CatalogService holds the rules others reuse. */
@Module({
  controllers: [SegmentsController, PackagesController, StorefrontController],
  providers: [CatalogService, CatalogWrites, SegmentsRepository, PackagesRepository, SegmentsService, PackagesService, StorefrontService],
  exports: [CatalogService, CatalogWrites, StorefrontService],
})
export class CatalogModule {}
