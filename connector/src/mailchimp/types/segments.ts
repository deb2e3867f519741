import type {CollectionMeta, Link} from './common.js';
import type {Member} from './members.js';
import type {SegmentOptions} from './segment-conditions.js';

export type SegmentType = 'saved' | 'static' | 'fuzzy';

/**
 * POST /lists/{list_id}/segments. Either `static_segment` (emails; creates a tag/static segment) or `options`
 * (conditions; a saved segment), never both.
 */
export type SegmentCreateRequest =
  | {name: string; static_segment: string[]; options?: never}
  | {name: string; options: SegmentOptions; static_segment?: never};

/** PATCH /lists/{list_id}/segments/{segment_id} (name required). */
export interface SegmentUpdateRequest {
  name: string;
  static_segment?: string[];
  options?: SegmentOptions;
}

export interface Segment {
  id: number;
  name: string;
  member_count: number;
  type: SegmentType;
  created_at: string;
  updated_at: string;
  /** Absent for static and fuzzy segments. */
  options?: SegmentOptions;
  list_id: string;
  _links?: Link[];
}

export interface SegmentsCollection extends CollectionMeta {
  segments: Segment[];
  list_id: string;
}

export interface SegmentsListQuery {
  type?: SegmentType;
  since_created_at?: string;
  before_created_at?: string;
  since_updated_at?: string;
  before_updated_at?: string;
  include_cleaned?: boolean;
  include_transactional?: boolean;
  include_unsubscribed?: boolean;
}

/** POST /lists/{list_id}/segments/{segment_id}: add/remove up to 500 emails each to a static segment. */
export interface SegmentMembersBatchRequest {
  members_to_add?: string[];
  members_to_remove?: string[];
}

export interface SegmentMembersBatchResponse {
  members_added: Member[];
  members_removed: Member[];
  errors: Array<{email_addresses: string[]; error: string}>;
  total_added: number;
  total_removed: number;
  error_count: number;
  _links?: Link[];
}
