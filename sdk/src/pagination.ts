import { type ApiResult, unwrap } from './errors';

/** `{ items, total, limit, offset }`: lists paged with `?limit=&offset=`. */
export interface OffsetPage<Item> {
  items: Item[];
  total: number;
  limit: number;
  offset: number;
}

/** `{ items, nextCursor, limit }`: lists paged with `?cursor=` (the audit trails). */
export interface CursorPage<Item> {
  items: Item[];
  nextCursor: string | null;
  limit: number;
}

/** Where the next page starts: pass `offset` or `cursor` on to the list's query, whichever it takes. */
export interface PageRequest {
  offset: number;
  /** Undefined for the first page. */
  cursor: string | undefined;
}

/**
 * Every item of a paginated list, page after page, fetched as the loop asks for them. `fetchPage`
 * makes the call for one page, so filters, `limit` and credentials stay typed as the operation's:
 *
 * ```ts
 * for await (const pkg of paginate(({ offset }) => client.GET('/api/v1/packages', { params: { query: { offset, active: true } } }))) …
 * for await (const event of paginate(({ cursor }) => client.GET('/api/v1/audit-events', { params: { query: { cursor } } }))) …
 * ```
 *
 * A refused page throws its PlatformApiError.
 */
export async function* paginate<Item, Code extends string>(
  fetchPage: (page: PageRequest) => Promise<ApiResult<OffsetPage<Item> | CursorPage<Item>, { code: Code; error: string; requestId: string }>>,
): AsyncGenerator<Item, void, undefined> {
  let page: PageRequest = { offset: 0, cursor: undefined };
  for (;;) {
    const data = await unwrap(fetchPage(page));
    yield* data.items;
    if (data.items.length === 0) return;
    const offset = page.offset + data.items.length;
    if ('nextCursor' in data) {
      if (data.nextCursor === null) return;
      // A server answering the same cursor again would loop forever; stop loudly instead.
      if (data.nextCursor === page.cursor) throw new Error('paginate: the API answered the same cursor twice');
      page = { offset, cursor: data.nextCursor };
    } else {
      if (data.offset + data.items.length >= data.total) return;
      page = { offset: data.offset + data.items.length, cursor: undefined };
    }
  }
}
