import {paginate, type PaginateOptions} from '../pagination.js';
import {subscriberHash} from '../subscriber-hash.js';
import type {MailchimpTransport} from '../transport.js';
import type {FieldSelection} from '../types/common.js';
import type {
  Member,
  MemberPatchRequest,
  MembersCollection,
  MembersListQuery,
  MemberTag,
  MemberTagChange,
  MemberTagsCollection,
  MemberUpsertRequest,
} from '../types/members.js';
import {falseIfNotFound, nullIfNotFound} from './not-found.js';

const MEMBER = '/lists/{list_id}/members/{subscriber_hash}';

/** List members and their tags. Members are addressed by email; the subscriber hash is computed here. */
export class MembersApi {
  constructor(private readonly transport: MailchimpTransport) {}

  /** PUT: adds the address with `status_if_new`, or updates it (its status only if `status` is given). */
  upsert(
    listId: string,
    body: MemberUpsertRequest,
    options: {skipMergeValidation?: boolean; signal?: AbortSignal} = {},
  ): Promise<Member> {
    return this.transport.request<Member, typeof MEMBER>({
      method: 'PUT',
      route: MEMBER,
      params: {list_id: listId, subscriber_hash: subscriberHash(body.email_address)},
      body,
      query: {skip_merge_validation: options.skipMergeValidation},
      signal: options.signal,
    });
  }

  get(listId: string, email: string, select?: FieldSelection): Promise<Member | null> {
    return nullIfNotFound(
      this.transport.request<Member, typeof MEMBER>({
        method: 'GET',
        route: MEMBER,
        params: {list_id: listId, subscriber_hash: subscriberHash(email)},
        select,
      }),
    );
  }

  patch(listId: string, email: string, body: MemberPatchRequest): Promise<Member> {
    return this.transport.request<Member, typeof MEMBER>({
      method: 'PATCH',
      route: MEMBER,
      params: {list_id: listId, subscriber_hash: subscriberHash(email)},
      body,
    });
  }

  /** DELETE archives (not a permanent delete). False when the member did not exist. */
  archive(listId: string, email: string): Promise<boolean> {
    return falseIfNotFound(
      this.transport.request({
        method: 'DELETE',
        route: MEMBER,
        params: {list_id: listId, subscriber_hash: subscriberHash(email)},
      }),
    );
  }

  /** GDPR erasure: the address can never be re-imported afterwards ("Forgotten Email Not Subscribed"). */
  /** False when the audience never had the address (or it is forgotten already): there is nothing to erase. */
  deletePermanent(listId: string, email: string): Promise<boolean> {
    return falseIfNotFound(
      this.transport.request({
        method: 'POST',
        route: '/lists/{list_id}/members/{subscriber_hash}/actions/delete-permanent',
        params: {list_id: listId, subscriber_hash: subscriberHash(email)},
      }),
    );
  }

  /** POST …/tags (204): `active` adds, `inactive` removes; `isSyncing` keeps tag automations from firing. */
  async updateTags(
    listId: string,
    email: string,
    tags: MemberTagChange[],
    options: {isSyncing?: boolean} = {},
  ): Promise<void> {
    await this.transport.request({
      method: 'POST',
      route: '/lists/{list_id}/members/{subscriber_hash}/tags',
      params: {list_id: listId, subscriber_hash: subscriberHash(email)},
      body: options.isSyncing === undefined ? {tags} : {tags, is_syncing: options.isSyncing},
    });
  }

  tags(listId: string, email: string, options?: PaginateOptions): AsyncGenerator<MemberTag, void, undefined> {
    const route = '/lists/{list_id}/members/{subscriber_hash}/tags';
    return paginate(
      (page) =>
        this.transport.request<MemberTagsCollection, typeof route>({
          method: 'GET',
          route,
          params: {list_id: listId, subscriber_hash: subscriberHash(email)},
          query: page,
        }),
      (page) => page.tags,
      options,
    );
  }

  list(
    listId: string,
    query: MembersListQuery = {},
    options: PaginateOptions & {select?: FieldSelection} = {},
  ): AsyncGenerator<Member, void, undefined> {
    const route = '/lists/{list_id}/members';
    return paginate(
      (page) =>
        this.transport.request<MembersCollection, typeof route>({
          method: 'GET',
          route,
          params: {list_id: listId},
          query: {...query, ...page},
          select: options.select,
        }),
      (page) => page.members,
      options,
    );
  }
}
