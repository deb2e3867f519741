import type {MailchimpTransport} from '../transport.js';
import type {FieldSelection} from '../types/common.js';
import type {List} from '../types/lists.js';
import {nullIfNotFound} from './not-found.js';

const LIST = '/lists/{list_id}';

/** Audiences: read one with its stats (members by status, rates). */
export class ListsApi {
  constructor(private readonly transport: MailchimpTransport) {}

  get(listId: string, options: {select?: FieldSelection; includeTotalContacts?: boolean} = {}): Promise<List | null> {
    return nullIfNotFound(
      this.transport.request<List, typeof LIST>({
        method: 'GET',
        route: LIST,
        params: {list_id: listId},
        select: options.select,
        query: {include_total_contacts: options.includeTotalContacts},
      }),
    );
  }
}
