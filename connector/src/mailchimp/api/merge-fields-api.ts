import {paginate, type PaginateOptions} from '../pagination.js';
import type {MailchimpTransport} from '../transport.js';
import type {MergeField, MergeFieldCreateRequest, MergeFieldsCollection} from '../types/merge-fields.js';

const MERGE_FIELDS = '/lists/{list_id}/merge-fields';

export class MergeFieldsApi {
  constructor(private readonly transport: MailchimpTransport) {}

  create(listId: string, body: MergeFieldCreateRequest): Promise<MergeField> {
    return this.transport.request<MergeField, typeof MERGE_FIELDS>({
      method: 'POST',
      route: MERGE_FIELDS,
      params: {list_id: listId},
      body,
    });
  }

  list(listId: string, options?: PaginateOptions): AsyncGenerator<MergeField, void, undefined> {
    return paginate(
      (page) =>
        this.transport.request<MergeFieldsCollection, typeof MERGE_FIELDS>({
          method: 'GET',
          route: MERGE_FIELDS,
          params: {list_id: listId},
          query: page,
        }),
      (page) => page.merge_fields,
      options,
    );
  }
}
