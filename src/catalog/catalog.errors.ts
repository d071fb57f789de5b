import { AppError } from '../common/errors/app-error';

export enum CatalogErrorCode {
  /** No such segment in the caller's tenant (another tenant's id answers the same). */
  SEGMENT_NOT_FOUND = 'SEGMENT_NOT_FOUND',
  PACKAGE_NOT_FOUND = 'PACKAGE_NOT_FOUND',
  /** No active tenant has this storefront slug. */
  STOREFRONT_NOT_FOUND = 'STOREFRONT_NOT_FOUND',
  SEGMENT_SLUG_TAKEN = 'SEGMENT_SLUG_TAKEN',
  PACKAGE_SLUG_TAKEN = 'PACKAGE_SLUG_TAKEN',
  /** The General segment cannot be deleted and keeps its slug. */
  GENERAL_SEGMENT_PROTECTED = 'GENERAL_SEGMENT_PROTECTED',
  /** The segment still has packages and no `moveTo` was given. */
  SEGMENT_NOT_EMPTY = 'SEGMENT_NOT_EMPTY',
  /** A tenant keeps at least one package (deactivate it instead). */
  LAST_PACKAGE = 'LAST_PACKAGE',
  /** `moveTo` names the segment being deleted. */
  INVALID_MOVE_TARGET = 'INVALID_MOVE_TARGET',
  /** A reorder must list every segment of the tenant exactly once. */
  INVALID_SEGMENT_ORDER = 'INVALID_SEGMENT_ORDER',
}

export class CatalogError extends AppError<CatalogErrorCode> {}
