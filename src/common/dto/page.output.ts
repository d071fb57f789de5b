import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/**
 * The body of every offset-paginated list (`{ items, total, limit, offset }`). Subclass it per item
 * type (`class TenantPageOutput extends PageOutput(TenantOutput) {}`) so the OpenAPI schema keeps a
 * stable name of its own.
 */
export function PageOutput<T>(item: Type<T>): Type<Page<T>> {
  class PageOfItems implements Page<T> {
    @ApiProperty({ type: [item] })
    items!: T[];

    @ApiProperty({ type: 'integer' })
    total!: number;

    @ApiProperty({ type: 'integer' })
    limit!: number;

    @ApiProperty({ type: 'integer' })
    offset!: number;
  }
  return PageOfItems;
}
