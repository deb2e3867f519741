import type {MailchimpTransport} from '../transport.js';
import type {FieldSelection} from '../types/common.js';
import type {List, ListCreateRequest, ListsCollection} from '../types/lists.js';
import {nullIfNotFound} from './not-found.js';

const LISTS = '/lists';
const LIST = '/lists/{list_id}';

/** Audiences: the account's audiences, create one, read one with its stats (members by status, rates). */
export class ListsApi {
  constructor(private readonly transport: MailchimpTransport) {}

  /** One page of the account's audiences (Mailchimp allows up to 1000 per page). */
  page(options: {select?: FieldSelection; count?: number; offset?: number} = {}): Promise<ListsCollection> {
    return this.transport.request<ListsCollection, typeof LISTS>({
      method: 'GET',
      route: LISTS,
      params: {},
      select: options.select,
      query: {count: options.count ?? 1000, offset: options.offset ?? 0},
    });
  }

  create(body: ListCreateRequest): Promise<List> {
    return this.transport.request<List, typeof LISTS>({method: 'POST', route: LISTS, params: {}, body});
  }

  get(listId: string, options: {select?: FieldSelection; includeTotalContacts?: boolean} = {}): Promise<List | null> {
    return nullIfNotFound(this.require(listId, options));
  }

  /** The list, which must exist: a 404 stays a MailchimpError, so Mailchimp's answer reaches the operator. */
  require(listId: string, options: {select?: FieldSelection; includeTotalContacts?: boolean} = {}): Promise<List> {
    return this.transport.request<List, typeof LIST>({
      method: 'GET',
      route: LIST,
      params: {list_id: listId},
      select: options.select,
      query: {include_total_contacts: options.includeTotalContacts},
    });
  }
}
