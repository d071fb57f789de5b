import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { MAX_ERROR_DETAILS } from './constants';
import { ErrorDetail } from './errors/app-error';
import { CommonError, CommonErrorCode } from './errors/common.errors';
import { QueryValidationMemo } from './query-validation-memo';

/**
 * Where @nestjs/swagger keeps a property's `@ApiProperty` options (not exported by the package).
 * The options are the OpenAPI contract, so `nullable` there is what clients were told.
 */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

/**
 * Whitelist, refuse unknown properties, transform to DTO classes; failures are 400 VALIDATION_FAILED
 * with at most MAX_ERROR_DETAILS details. A `null` is refused unless the property is declared
 * `nullable` in its OpenAPI options: class-validator's `@IsOptional()` (and `PartialType`) skip every
 * validator for null, which would let it through to a NOT NULL column. Query DTOs marked
 * @MemoizedQueryValidation() are validated once per distinct query string (query-validation-memo.ts).
 */
export function createValidationPipe(): ValidationPipe {
  return new ContractValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}

class ContractValidationPipe extends ValidationPipe {
  private readonly memo = new QueryValidationMemo();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Before super.transform, which strips and rewrites `value` in place.
    const memoKey = metadata.type === 'query' ? this.memo.keyOf(metadata.metatype, value) : undefined;
    if (memoKey !== undefined) {
      const remembered = this.memo.get(metadata.metatype!, memoKey);
      if (remembered) return remembered;
    }
    const result: unknown = await super.transform(value, metadata);
    const problems: ErrorDetail[] = [];
    if (isDto(result)) undeclaredNulls(result, '', problems);
    if (problems.length > 0) throw validationFailed(problems);
    if (memoKey !== undefined && isDto(result)) this.memo.set(metadata.metatype!, memoKey, result);
    return result;
  }
}

function validationFailed(details: ErrorDetail[]): CommonError {
  const shown = details.length > MAX_ERROR_DETAILS ? [...details.slice(0, MAX_ERROR_DETAILS), { message: `and ${details.length - MAX_ERROR_DETAILS} more problems` }] : details;
  return new CommonError(CommonErrorCode.VALIDATION_FAILED, 'Request validation failed', shown);
}

/** Nested DTO errors become one detail per field, addressed by path (`settings.timezone`). */
function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** An instance of a class with OpenAPI-described properties (a DTO), not a free-form object. */
function isDto(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null;
}

function undeclaredNulls(dto: object, parent: string, problems: ErrorDetail[]): void {
  for (const [key, value] of Object.entries(dto)) {
    const field = parent ? `${parent}.${key}` : key;
    if (value === null) {
      const options = Reflect.getMetadata(API_MODEL_PROPERTIES, Object.getPrototypeOf(dto) as object, key) as { nullable?: boolean } | undefined;
      if (options?.nullable !== true) problems.push({ field, message: `${field} must not be null` });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => isDto(item) && undeclaredNulls(item, `${field}.${index}`, problems));
    } else if (isDto(value)) {
      undeclaredNulls(value, field, problems);
    }
  }
}
