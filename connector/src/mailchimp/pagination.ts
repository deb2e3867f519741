import type {CollectionMeta, PageParams} from './types/common.js';

export interface PaginateOptions {
  /** Records per page; Mailchimp's maximum is 1000. */
  pageSize?: number;
  startOffset?: number;
}

export const DEFAULT_PAGE_SIZE = 500;

/**
 * Walks a `count`/`offset` collection page by page, yielding items as they come (one page in memory at a time).
 * Stops at `total_items` or at the first empty page, whichever comes first.
 */
export async function* paginate<TPage extends CollectionMeta, TItem>(
  fetchPage: (page: Required<PageParams>) => Promise<TPage>,
  itemsOf: (page: TPage) => readonly TItem[],
  options: PaginateOptions = {},
): AsyncGenerator<TItem, void, undefined> {
  const count = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    throw new Error('pageSize must be an integer from 1 to 1000');
  let offset = options.startOffset ?? 0;
  for (;;) {
    const page = await fetchPage({count, offset});
    const items = itemsOf(page);
    yield* items;
    offset += items.length;
    if (items.length === 0 || offset >= page.total_items) return;
  }
}
