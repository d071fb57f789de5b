import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScoped } from '../auth/access.decorators';
import { PaginationQuery } from '../common/dto/pagination.query';
import { CurrentPrincipal } from '../tenancy/current-principal.decorator';
import type { Principal } from '../tenancy/principal';
import { CATALOG_READ_SCOPE, CATALOG_WRITE_SCOPE } from './catalog.constants';
import { SegmentOutput, SegmentPageOutput } from './dto/catalog.output';
import { CreateSegmentInput, DeleteSegmentQuery, ReorderSegmentsInput, UpdateSegmentInput } from './dto/segment.input';
import { SegmentsService } from './segments.service';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { CatalogErrorCode } from '../catalog/catalog.errors';

/** The tenant's catalog segments; members read, admins (or keys with catalog:write) change. */
@ApiTags('catalog')
@Controller('segments')
export class SegmentsController {
  constructor(private readonly segments: SegmentsService) {}

  @Get()
  @TenantScoped({ scope: CATALOG_READ_SCOPE })
  @ApiOperation({ operationId: 'listSegments', summary: 'Segments by sort order' })
  @ApiOkResponse({ type: SegmentPageOutput })
  list(@Query() page: PaginationQuery): Promise<SegmentPageOutput> {
    return this.segments.list(page.limit, page.offset);
  }

  @Post()
  @TenantScoped({ minRole: 'ADMIN', scope: CATALOG_WRITE_SCOPE })
  @ApiErrors(CatalogErrorCode.SEGMENT_SLUG_TAKEN)
  @ApiOperation({ operationId: 'createSegment', summary: 'Create a segment (slug derived from the name when absent)' })
  @ApiCreatedResponse({ type: SegmentOutput })
  create(@CurrentPrincipal() actor: Principal, @Body() input: CreateSegmentInput): Promise<SegmentOutput> {
    return this.segments.create(actor, input);
  }

  @Post('reorder')
  @TenantScoped({ minRole: 'ADMIN', scope: CATALOG_WRITE_SCOPE })
  @HttpCode(HttpStatus.OK)
  @ApiErrors(CatalogErrorCode.SEGMENT_NOT_FOUND, CatalogErrorCode.INVALID_SEGMENT_ORDER)
  @ApiOperation({ operationId: 'reorderSegments', summary: 'Set the order of all segments (sortOrder 0..n-1)' })
  @ApiOkResponse({ type: [SegmentOutput] })
  reorder(@CurrentPrincipal() actor: Principal, @Body() input: ReorderSegmentsInput): Promise<SegmentOutput[]> {
    return this.segments.reorder(actor, input.segmentIds);
  }

  @Get(':id')
  @TenantScoped({ scope: CATALOG_READ_SCOPE })
  @ApiErrors(CatalogErrorCode.SEGMENT_NOT_FOUND)
  @ApiOperation({ operationId: 'getSegment', summary: 'One segment' })
  @ApiOkResponse({ type: SegmentOutput })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<SegmentOutput> {
    return this.segments.get(id);
  }

  @Patch(':id')
  @TenantScoped({ minRole: 'ADMIN', scope: CATALOG_WRITE_SCOPE })
  @ApiErrors(CatalogErrorCode.SEGMENT_NOT_FOUND, CatalogErrorCode.SEGMENT_SLUG_TAKEN, CatalogErrorCode.GENERAL_SEGMENT_PROTECTED)
  @ApiOperation({ operationId: 'updateSegment', summary: 'Change a segment (the General segment keeps its slug)' })
  @ApiOkResponse({ type: SegmentOutput })
  update(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() input: UpdateSegmentInput): Promise<SegmentOutput> {
    return this.segments.update(actor, id, input);
  }

  @Delete(':id')
  @TenantScoped({ minRole: 'ADMIN', scope: CATALOG_WRITE_SCOPE })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiErrors(CatalogErrorCode.SEGMENT_NOT_FOUND, CatalogErrorCode.GENERAL_SEGMENT_PROTECTED, CatalogErrorCode.SEGMENT_NOT_EMPTY, CatalogErrorCode.INVALID_MOVE_TARGET)
  @ApiOperation({
    operationId: 'deleteSegment',
    summary: 'Delete a segment; one with packages needs moveTo (they move in the same transaction). Not the General segment.',
  })
  @ApiNoContentResponse()
  async delete(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: DeleteSegmentQuery): Promise<void> {
    await this.segments.delete(actor, id, query.moveTo);
  }
}
