import { MAX_OFFSET, MAX_PAGE_SIZE } from '../constants';
import { MemoizedQueryValidation } from '../query-validation-memo';
import { QueryInt } from './query-int';

/** `?limit=&offset=` of every offset-paginated list. */
@MemoizedQueryValidation()
export class PaginationQuery {
  @QueryInt({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  limit: number = 20;

  @QueryInt({ minimum: 0, maximum: MAX_OFFSET, default: 0, description: `Items to skip; at most ${MAX_OFFSET}.` })
  offset: number = 0;
}
