import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorDetail } from './errors/app-error';
import { CommonError, CommonErrorCode } from './errors/common.errors';

/** Whitelist, refuse unknown properties, transform to DTO classes; failures are 400 VALIDATION_FAILED. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) =>
      new CommonError(CommonErrorCode.VALIDATION_FAILED, 'Request validation failed', flatten(errors)),
  });
}

/** Nested DTO errors become one detail per field, addressed by path (`settings.timezone`). */
function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
