import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScoped } from '../auth/access.decorators';
import { CurrentPrincipal } from '../tenancy/current-principal.decorator';
import type { Principal } from '../tenancy/principal';
import { CATALOG_READ_SCOPE, CATALOG_WRITE_SCOPE } from './catalog.constants';
import { PackageOutput, PackagePageOutput } from './dto/catalog.output';
import { CreatePackageInput, ListPackagesQuery, UpdatePackageInput } from './dto/package.input';
import { PackagesService } from './packages.service';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { CatalogErrorCode } from '../catalog/catalog.errors';

/** The tenant's bookable packages; members read, admins (or keys with catalog:write) change. */
@ApiTags('catalog')
@Controller('packages')
export class PackagesController {
  constructor(private readonly packages: PackagesService) {}

  @Get()
  @TenantScoped({ scope: CATALOG_READ_SCOPE })
  @ApiOperation({ operationId: 'listPackages', summary: 'Packages by grouping order, filtered by segment and active' })
  @ApiOkResponse({ type: PackagePageOutput })
  list(@Query() query: ListPackagesQuery): Promise<PackagePageOutput> {
    return this.packages.list(query);
  }

  @Post()
  @TenantScoped({ minRole: 'ADMIN', scope: CATALOG_WRITE_SCOPE })
  @ApiErrors(CatalogErrorCode.SEGMENT_NOT_FOUND, CatalogErrorCode.PACKAGE_SLUG_TAKEN)
  @ApiOperation({ operationId: 'createPackage', summary: 'Create a package (in the General segment when segmentId is absent)' })
  @ApiCreatedResponse({ type: PackageOutput })
  create(@CurrentPrincipal() actor: Principal, @Body() input: CreatePackageInput): Promise<PackageOutput> {
    return this.packages.create(actor, input);
  }

  @Get(':id')
  @TenantScoped({ scope: CATALOG_READ_SCOPE })
  @ApiErrors(CatalogErrorCode.PACKAGE_NOT_FOUND)
  @ApiOperation({ operationId: 'getPackage', summary: 'One package' })
  @ApiOkResponse({ type: PackageOutput })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<PackageOutput> {
    return this.packages.get(id);
  }

  @Patch(':id')
  @TenantScoped({ minRole: 'ADMIN', scope: CATALOG_WRITE_SCOPE })
  @ApiErrors(CatalogErrorCode.PACKAGE_NOT_FOUND, CatalogErrorCode.SEGMENT_NOT_FOUND, CatalogErrorCode.PACKAGE_SLUG_TAKEN)
  @ApiOperation({ operationId: 'updatePackage', summary: 'Change a package, or move it to another segment of the tenant' })
  @ApiOkResponse({ type: PackageOutput })
  update(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() input: UpdatePackageInput): Promise<PackageOutput> {
    return this.packages.update(actor, id, input);
  }

  @Delete(':id')
  @TenantScoped({ minRole: 'ADMIN', scope: CATALOG_WRITE_SCOPE })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiErrors(CatalogErrorCode.PACKAGE_NOT_FOUND, CatalogErrorCode.LAST_PACKAGE)
  @ApiOperation({ operationId: 'deletePackage', summary: 'Delete a package (not the last one of the tenant: deactivate it instead)' })
  @ApiNoContentResponse()
  async delete(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.packages.delete(actor, id);
  }
}
