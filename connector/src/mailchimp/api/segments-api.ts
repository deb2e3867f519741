import {paginate, type PaginateOptions} from '../pagination.js';
import type {MailchimpTransport} from '../transport.js';
import type {FieldSelection} from '../types/common.js';
import type {Member, MembersCollection} from '../types/members.js';
import type {
  Segment,
  SegmentCreateRequest,
  SegmentMembersBatchRequest,
  SegmentMembersBatchResponse,
  SegmentsCollection,
  SegmentsListQuery,
  SegmentUpdateRequest,
} from '../types/segments.js';
import {falseIfNotFound, nullIfNotFound} from './not-found.js';

const SEGMENTS = '/lists/{list_id}/segments';
const SEGMENT = '/lists/{list_id}/segments/{segment_id}';

/** Saved segments (conditions) and static segments (tags). */
export class SegmentsApi {
  constructor(private readonly transport: MailchimpTransport) {}

  create(listId: string, body: SegmentCreateRequest): Promise<Segment> {
    return this.transport.request<Segment, typeof SEGMENTS>({
      method: 'POST',
      route: SEGMENTS,
      params: {list_id: listId},
      body,
    });
  }

  get(listId: string, segmentId: number, select?: FieldSelection): Promise<Segment | null> {
    return nullIfNotFound(
      this.transport.request<Segment, typeof SEGMENT>({
        method: 'GET',
        route: SEGMENT,
        params: {list_id: listId, segment_id: segmentId},
        select,
      }),
    );
  }

  update(listId: string, segmentId: number, body: SegmentUpdateRequest): Promise<Segment> {
    return this.transport.request<Segment, typeof SEGMENT>({
      method: 'PATCH',
      route: SEGMENT,
      params: {list_id: listId, segment_id: segmentId},
      body,
    });
  }

  delete(listId: string, segmentId: number): Promise<boolean> {
    return falseIfNotFound(
      this.transport.request({method: 'DELETE', route: SEGMENT, params: {list_id: listId, segment_id: segmentId}}),
    );
  }

  /** Adds/removes up to 500 emails each to/from a static segment. */
  batchMembers(
    listId: string,
    segmentId: number,
    body: SegmentMembersBatchRequest,
  ): Promise<SegmentMembersBatchResponse> {
    return this.transport.request<SegmentMembersBatchResponse, typeof SEGMENT>({
      method: 'POST',
      route: SEGMENT,
      params: {list_id: listId, segment_id: segmentId},
      body,
    });
  }

  /**
   * GET …/segments/{segment_id}/members: subscribed members by default; the include flags widen it (a tag's members of
   * every status need all three).
   */
  members(
    listId: string,
    segmentId: number,
    query: {include_cleaned?: boolean; include_transactional?: boolean; include_unsubscribed?: boolean} = {},
    options: PaginateOptions & {select?: FieldSelection} = {},
  ): AsyncGenerator<Member, void, undefined> {
    const route = '/lists/{list_id}/segments/{segment_id}/members';
    return paginate(
      (page) =>
        this.transport.request<MembersCollection, typeof route>({
          method: 'GET',
          route,
          params: {list_id: listId, segment_id: segmentId},
          query: {...query, ...page},
          select: options.select,
        }),
      (page) => page.members,
      options,
    );
  }

  list(
    listId: string,
    query: SegmentsListQuery = {},
    options: PaginateOptions & {select?: FieldSelection} = {},
  ): AsyncGenerator<Segment, void, undefined> {
    return paginate(
      (page) =>
        this.transport.request<SegmentsCollection, typeof SEGMENTS>({
          method: 'GET',
          route: SEGMENTS,
          params: {list_id: listId},
          query: {...query, ...page},
          select: options.select,
        }),
      (page) => page.segments,
      options,
    );
  }
}
