import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * Only plain decimal digits become a number: `Number()` would also take `1e21`, `0x10`, `" "` and
 * `""`, and a huge value reaches the database as a number it cannot bind. Anything else stays a
 * string, which IsInt refuses.
 */
const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value);

export interface QueryIntOptions {
  minimum: number;
  maximum: number;
  default?: number;
  description?: string;
}

/** An optional integer query parameter within bounds, declared once for validation and OpenAPI. */
export function QueryInt(options: QueryIntOptions): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', ...options }),
    IsOptional(),
    Transform(toInteger),
    IsInt(),
    Min(options.minimum),
    Max(options.maximum),
  );
}
