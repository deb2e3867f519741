import {paginate, type PaginateOptions} from '../pagination.js';
import type {MailchimpTransport} from '../transport.js';
import type {
  Batch,
  BatchesCollection,
  BatchOperationWire,
  BatchWebhook,
  BatchWebhookCreateRequest,
  BatchWebhooksCollection,
} from '../types/batches.js';
import {falseIfNotFound, nullIfNotFound} from './not-found.js';

const BATCH = '/batches/{batch_id}';
const BATCH_WEBHOOK = '/batch-webhooks/{batch_webhook_id}';

/** The raw batch endpoints; batch/batch-runner.ts drives whole runs (split, submit, poll, download). */
export class BatchesApi {
  constructor(private readonly transport: MailchimpTransport) {}

  submit(operations: BatchOperationWire[], options: {signal?: AbortSignal} = {}): Promise<Batch> {
    return this.transport.request<Batch, '/batches'>({
      method: 'POST',
      route: '/batches',
      params: {},
      body: {operations},
      signal: options.signal,
    });
  }

  get(batchId: string, options: {signal?: AbortSignal} = {}): Promise<Batch | null> {
    return nullIfNotFound(
      this.transport.request<Batch, typeof BATCH>({
        method: 'GET',
        route: BATCH,
        params: {batch_id: batchId},
        signal: options.signal,
      }),
    );
  }

  delete(batchId: string): Promise<boolean> {
    return falseIfNotFound(this.transport.request({method: 'DELETE', route: BATCH, params: {batch_id: batchId}}));
  }

  list(options?: PaginateOptions): AsyncGenerator<Batch, void, undefined> {
    return paginate(
      (page) =>
        this.transport.request<BatchesCollection, '/batches'>({
          method: 'GET',
          route: '/batches',
          params: {},
          query: page,
        }),
      (page) => page.batches,
      options,
    );
  }
}

/** Webhooks Mailchimp calls when any batch finishes (at most 20 per account). */
export class BatchWebhooksApi {
  constructor(private readonly transport: MailchimpTransport) {}

  create(body: BatchWebhookCreateRequest): Promise<BatchWebhook> {
    return this.transport.request<BatchWebhook, '/batch-webhooks'>({
      method: 'POST',
      route: '/batch-webhooks',
      params: {},
      body,
    });
  }

  list(options?: PaginateOptions): AsyncGenerator<BatchWebhook, void, undefined> {
    return paginate(
      (page) =>
        this.transport.request<BatchWebhooksCollection, '/batch-webhooks'>({
          method: 'GET',
          route: '/batch-webhooks',
          params: {},
          query: page,
        }),
      (page) => page.webhooks,
      options,
    );
  }

  delete(batchWebhookId: string): Promise<boolean> {
    return falseIfNotFound(
      this.transport.request({method: 'DELETE', route: BATCH_WEBHOOK, params: {batch_webhook_id: batchWebhookId}}),
    );
  }
}
