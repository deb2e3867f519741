import type {CollectionMeta, HttpMethod, Link} from './common.js';

/** One operation of POST /batches as sent: `body` is a JSON **string** (an object gets 400 Invalid Resource). */
export interface BatchOperationWire {
  method: HttpMethod;
  /** Relative to the API root, e.g. `/lists/abc/members/<hash>`. */
  path: string;
  params?: Record<string, string | number | boolean>;
  body?: string;
  operation_id?: string;
}

export interface BatchCreateRequest {
  operations: BatchOperationWire[];
}

export type BatchStatus = 'pending' | 'preprocessing' | 'started' | 'finalizing' | 'finished';

export interface Batch {
  id: string;
  status: BatchStatus;
  total_operations: number;
  /** Errored operations included. */
  finished_operations: number;
  errored_operations: number;
  submitted_at: string;
  completed_at: string;
  /** The gzipped tar of the results; empty until finished. A plain GET, no auth. */
  response_body_url: string;
  _links?: Link[];
}

export interface BatchesCollection extends CollectionMeta {
  batches: Batch[];
}

/** One entry of a results file in the archive, as Mailchimp writes it (`response` is a JSON string). */
export interface BatchResultEntryWire {
  status_code: number;
  operation_id: string | null;
  response: string;
}

/** POST /batch-webhooks (at most 20 per account). */
export interface BatchWebhookCreateRequest {
  url: string;
  /** In newer spec versions. */
  enabled?: boolean;
}

export interface BatchWebhook {
  id: string;
  url: string;
  enabled?: boolean;
  _links?: Link[];
}

export interface BatchWebhooksCollection extends CollectionMeta {
  webhooks: BatchWebhook[];
}
